"""Benchmarks for `make bench`: page weights, delivery, serving under load, memory.

Not tests: they print figures. Durations come from ``BENCH_*`` variables (see
``bench/__main__.py``); every server runs on 127.0.0.1 and is stopped by its PID.
"""
