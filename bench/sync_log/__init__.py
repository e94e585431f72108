"""`make bench-sync-log`: the sync change log's size and pruning cost over a simulated year."""
