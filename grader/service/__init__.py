"""The grading service (`grader serve`, `grader worker`): uploads stored in a database, a job
queue that only wakes workers, workers that grade with the library core in the sandbox, and web
pages and a JSON API over the stored results. The database row is the source of truth."""
