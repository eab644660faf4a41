"""Stage 4, judging: answers against the reference (checks.py), the reference against the
grader's own mathematics (verify.py), scores (scoring.py), and the smallest failing case
(shrink.py, probe_tree.py). Runners are reached only through
grader/run/runner.py."""
