"""The national-scale benchmark's data: ``fremdrift bench generate`` writes
fictional plans with statistics and registrations at a chosen scale
(``scales``), and ``baseline`` computes the measures behind their
criteria by hand-written SQL, to hold fremdrift's own path against.
bench/national.py runs the benchmark; docs/scaling.md reads its numbers.
"""
