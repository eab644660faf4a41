"""What graded results become: per-student feedback files, the class report, Gradescope's format."""
