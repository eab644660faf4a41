"""An nbgrader export plugin: one CSV row per student, assignment, notebook and graded cell,
so each exercise's nbgrader score can be compared with `grader grade`."""

import csv

from nbgrader.plugins import ExportPlugin

from grader.report.safe import csv_cell


class PerExerciseExport(ExportPlugin):
    def export(self, gradebook):
        path = self.to or "grades.csv"
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["student", "assignment", "notebook", "grade_id", "score", "max_score", "needs_manual_grade"]
            )
            for assignment in gradebook.assignments:
                for submission in gradebook.assignment_submissions(assignment.name):
                    for notebook in submission.notebooks:
                        for grade in sorted(notebook.grades, key=lambda g: g.name):
                            names = (submission.student.id, assignment.name, notebook.name, grade.name)
                            row = [csv_cell(name) for name in names]
                            writer.writerow(row + [grade.score, grade.max_score, grade.needs_manual_grade])
        self.log.info("wrote %s", path)
