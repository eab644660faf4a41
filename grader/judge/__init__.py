"""Stage 4, judging: answers against the reference (checks.py), scores (scoring.py), and the
smallest failing case (shrink.py, probe_tree.py). Runners are reached only through
grader/run/runner.py."""
