"""Front ends, thin layers over grader/core/: the command line (cli.py, commands.py), nbgrader's
test cells (nbgrader_cell.py) and the nbgrader course's checks (course.py)."""
