"""Downloads for running a course: the gradebook in Canvas's, Moodle's or nbgrader's layout
(instructors), the zip of a whole assignment's handed-in files (graders and instructors), and
the zip of one submission's files (its owner, graders and instructors; anyone else gets the 404
of a submission that does not exist). Each under /api/v1 with a token, and the instructor's two
from the dashboard with the session."""

from __future__ import annotations

from typing import IO

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from grader import assignments
from grader.service import exports, zips
from grader.service.gradebook import csv_export
from grader.service.submissions import visible_row
from grader.service.web.api import SubmissionId, _account, _assignment, _instructor, _staff
from grader.service.web.errors import ApiError
from grader.service.web.pages import _instructor_session

router = APIRouter()


def gradebook_csv(
    request: Request, assignment: str, format: str, title: str | None, match: str
) -> PlainTextResponse:
    """The export in the layout `format` names, as a download named after both."""
    if format not in exports.FORMATS:
        raise ApiError(400, f"unknown format {format[:40]!r} (known: {', '.join(exports.FORMATS)})")
    try:
        column = exports.column_title(title, assignment)
        with request.app.state.engine.connect() as connection:
            if format == "canvas":
                text = exports.canvas_csv(connection, assignment, column, match)
            elif format == "moodle":
                text = exports.moodle_csv(connection, assignment, column)
            else:
                text = csv_export(connection, assignment)
    except exports.ExportError as exc:
        raise ApiError(400, str(exc)) from None
    disposition = f'attachment; filename="{assignment}-{format}.csv"'
    return PlainTextResponse(text, media_type="text/csv", headers={"Content-Disposition": disposition})


@router.get("/api/v1/assignments/{assignment}/gradebook.csv")
def api_gradebook(
    assignment: str,
    request: Request,
    format: str = "nbgrader",
    title: str | None = None,
    match: str = "sis_user_id",
) -> PlainTextResponse:
    _instructor(request)
    return gradebook_csv(request, _assignment(assignment), format, title, match)


@router.get("/dashboard/gradebook.csv")
def dashboard_gradebook(
    request: Request,
    assignment: str = assignments.DEFAULT,
    format: str = "nbgrader",
    title: str | None = None,
    match: str = "sis_user_id",
) -> PlainTextResponse:
    if _instructor_session(request) is None:
        raise ApiError(403, "instructors only")
    return gradebook_csv(request, _assignment(assignment), format, title, match)


def _streamed(handle: IO[bytes], name: str) -> StreamingResponse:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"}
    return StreamingResponse(zips.chunks(handle), media_type="application/zip", headers=headers)


async def assignment_zip(request: Request, assignment: str) -> StreamingResponse:
    try:
        handle = await run_in_threadpool(zips.assignment_zip, request.app.state.engine, assignment)
    except zips.TooLarge as exc:
        raise ApiError(413, str(exc)) from None
    return _streamed(handle, f"{assignment}-submissions.zip")


@router.get("/api/v1/assignments/{assignment}/submissions.zip")
async def api_assignment_zip(assignment: str, request: Request) -> StreamingResponse:
    await run_in_threadpool(_staff, request)
    return await assignment_zip(request, _assignment(assignment))


@router.get("/dashboard/submissions.zip")
async def dashboard_assignment_zip(request: Request, assignment: str = assignments.DEFAULT) -> Response:
    if await run_in_threadpool(_instructor_session, request) is None:
        raise ApiError(403, "instructors only")
    return await assignment_zip(request, _assignment(assignment))


@router.get("/api/v1/submissions/{submission_id}/files.zip")
async def api_submission_zip(submission_id: SubmissionId, request: Request) -> StreamingResponse:
    account = await run_in_threadpool(_account, request)

    def build() -> tuple[IO[bytes], str]:
        with request.app.state.engine.connect() as connection:
            row = visible_row(connection, account, submission_id)
            if row is None:
                raise ApiError(404, "no such submission")
            return zips.submission_zip(connection, row), f"{zips.safe_part(row.account_id)}-{row.id}.zip"

    handle, name = await run_in_threadpool(build)
    return _streamed(handle, name)
