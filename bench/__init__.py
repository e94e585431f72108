"""The benchmark harness (not tests): seeds data, runs gunicorn, measures, prints ratios."""
