"""`python -m bench.edge`: the edge case alone, as `python -m bench.run --only edge` runs it."""

import sys

from bench.run import main

if __name__ == "__main__":
    main(["--only", "edge", *sys.argv[1:]], prog="python -m bench.edge")
