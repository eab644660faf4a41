"""Running student code. grader/run/runner.py is the narrow interface the rest of the grader
speaks (what to ask); grader/run/sandbox/ is how it runs (a fresh, confined process per
submission, spoken to only in numbers)."""
