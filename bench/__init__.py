"""Benchmarks of the registry: each measures a baseline in the same run and reports ratios.

`python -m bench` (or `make bench`) runs them all; `python -m bench listing search` runs some.
"""
