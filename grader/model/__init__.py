"""The data the grader works on: exercises and assignments (what to grade), units (what runs)
and results (what comes out). Plain types, no behaviour beyond their own invariants."""
