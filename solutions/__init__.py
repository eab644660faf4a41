"""The instructor's reference solution. Never shipped to students, never sent to a sandbox."""
