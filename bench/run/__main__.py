"""`python -m bench.run` (`make bench`): the command line of bench/run/cli.py."""

from bench.run.cli import main

if __name__ == "__main__":
    main()
