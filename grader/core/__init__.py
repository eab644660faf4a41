"""The library core: grade a submission for an assignment (grader/core/grade.py), many of them
(batch.py, shards.py), with typed options (options.py); api.GradingCore is what front ends use."""
