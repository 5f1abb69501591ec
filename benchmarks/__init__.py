"""Benchmarks: `make bench` runs every bench_*.py; each writes var/bench/<name>.json."""
