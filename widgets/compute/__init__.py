"""What the exercises compute, in plain Python: no widgets, no files, no database.

Every function here is deterministic (simulations take a seed) and unit-tested in
tests/unit/test_compute_*.py. The widget classes in widgets/ only show and collect.
"""
