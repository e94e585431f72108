"""`python -m bench.sync_log`: runs the benchmark (bench/sync_log/main.py)."""

from bench.sync_log.main import main

main()
