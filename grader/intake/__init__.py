"""Stage 1, intake: find submissions (submissions.py), read their files as hostile input within
budgets (files.py), and parse notebooks and .py files into units (notebooks.py)."""
