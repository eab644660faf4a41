"""Stage 5, explaining: what a student reads about a lost mark (feedback.py), the likely
mistake (diagnose.py) and error carried forward (carry.py)."""
