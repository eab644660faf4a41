"""Stage 6, reports: results as JSON, CSV and tables (formats.py), per-student feedback files,
the class report and Gradescope's format."""
