"""The API SPEC 7.1 adds for running a whole course, under /api/v1: manual scores (graders and
instructors), the roster as the gradebook (graders and instructors), a submission's files (its
owner, graders and instructors; anyone else gets the 404 of a submission that does not exist)
and per-student extensions (instructors). Every body is checked before anything is stored:
a malformed one is a 400 naming what is wrong, never a 500."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from grader.service import extensions, manual, rubric
from grader.service.accounts import Account, AccountError, check_id
from grader.service.gradebook import gradebook
from grader.service.store.database import writing
from grader.service.stored_files import Pruned, attachment, file_of, files_of
from grader.service.submissions import describe, visible_row
from grader.service.web.api import SubmissionId, _account, _assignment, _instructor, _staff
from grader.service.web.errors import ApiError

router = APIRouter()


async def _json_body(request: Request) -> object:
    """The request's JSON, or None when it is not JSON or is nested too deep to decode (each
    route's check then says what to send: a 400, never a 500)."""
    try:
        return await request.json()
    except (ValueError, RecursionError):
        return None


@router.put("/submissions/{submission_id}/manual/{exercise}")
async def put_manual(submission_id: SubmissionId, exercise: str, request: Request) -> dict:
    account = await run_in_threadpool(_staff, request)
    body = await _json_body(request)
    return await run_in_threadpool(_enter_manual, request, account, submission_id, exercise, body)


def _enter_manual(
    request: Request, account: Account, submission_id: int, exercise: str, body: object
) -> dict:
    engine = request.app.state.engine
    with writing(engine) as connection:
        row = visible_row(connection, account, submission_id)
        if row is None:
            raise ApiError(404, "no such submission")
        try:
            if isinstance(body, dict) and "rubric" in body:
                # The score is the applied items' sum; a score sent beside them is ignored.
                total = rubric.apply(connection, row.id, row.assignment, exercise, body["rubric"])
                body = {**body, "score": total}
            else:
                manual.part_maximum(row.assignment, exercise)
                rubric.clear(connection, row.id, exercise)  # a score by hand replaces the items
            score, comment = manual.validated(row.assignment, exercise, body)
        except manual.ManualError as exc:
            raise ApiError(400, str(exc)) from None
        manual.enter(connection, row.id, exercise, score, comment, account.id, time.time())
    with engine.connect() as connection:
        return describe(connection, row)


@router.get("/assignments/{assignment}/rubric")
def get_rubric(assignment: str, request: Request) -> dict:
    _staff(request)
    assignment = _assignment(assignment)
    with request.app.state.engine.connect() as connection:
        return {
            "assignment": assignment,
            "items": [i.to_json() for i in rubric.items_for(connection, assignment)],
        }


@router.post("/assignments/{assignment}/rubric/{exercise}", status_code=201)
async def post_rubric_item(assignment: str, exercise: str, request: Request) -> dict:
    account = await run_in_threadpool(_staff, request)
    assignment = _assignment(assignment)
    body = await _json_body(request)

    def add() -> dict:
        try:
            with writing(request.app.state.engine) as connection:
                return rubric.add_item(connection, assignment, exercise, body, account.id).to_json()
        except manual.ManualError as exc:
            raise ApiError(400, str(exc)) from None

    return await run_in_threadpool(add)


@router.put("/assignments/{assignment}/rubric/items/{item_id}")
async def put_rubric_item(assignment: str, item_id: SubmissionId, request: Request) -> dict:
    """Change an item; every score made of it is recomputed in the same transaction."""
    await run_in_threadpool(_staff, request)
    assignment = _assignment(assignment)
    body = await _json_body(request)

    def change() -> dict:
        try:
            with writing(request.app.state.engine) as connection:
                item = rubric.change_item(connection, assignment, item_id, body)
        except manual.ManualError as exc:
            raise ApiError(400, str(exc)) from None
        if item is None:
            raise ApiError(404, f"{assignment} has no rubric item {item_id}")
        return item.to_json()

    return await run_in_threadpool(change)


@router.get("/roster")
def get_roster(request: Request, assignment: str | None = None) -> dict:
    _staff(request)
    assignment = _assignment(assignment)
    with request.app.state.engine.connect() as connection:
        return {
            "assignment": assignment,
            "students": [entry.to_json() for entry in gradebook(connection, assignment)],
        }


@router.get("/submissions/{submission_id}/files")
def get_files(submission_id: SubmissionId, request: Request) -> dict:
    account = _account(request)
    with request.app.state.engine.connect() as connection:
        row = visible_row(connection, account, submission_id)
        if row is None:
            raise ApiError(404, "no such submission")
        listed = files_of(connection, row)
    return {"files": [f.to_json() for f in listed], "pruned_at": row.pruned_at}


@router.get("/submissions/{submission_id}/files/{name:path}")
def get_file(submission_id: SubmissionId, name: str, request: Request) -> Response:
    account = _account(request)
    with request.app.state.engine.connect() as connection:
        row = visible_row(connection, account, submission_id)
        if row is None:
            raise ApiError(404, "no such submission")
        try:
            data = file_of(connection, row, name)
        except Pruned:
            raise ApiError(
                410,
                f"the files of submission {row.id} were removed (retention keeps only recent and "
                "counted submissions); its results remain",
            ) from None
    if data is None:
        raise ApiError(404, "the submission has no file of that name")
    headers = {"Content-Disposition": attachment(name), "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type="application/octet-stream", headers=headers)


@router.put("/assignments/{assignment}/extensions/{student}")
async def put_extension(assignment: str, student: str, request: Request) -> dict:
    account = await run_in_threadpool(_instructor, request)
    assignment = _assignment(assignment)
    body = await _json_body(request)
    try:
        check_id(student)
        deadline, late_until = extensions.validated(body)
    except (AccountError, extensions.ExtensionError) as exc:
        raise ApiError(400, str(exc)) from None
    granted = await run_in_threadpool(_grant, request, assignment, student, deadline, late_until, account.id)
    return {"assignment": assignment, "student": student, **granted.to_json()}


def _grant(
    request: Request, assignment: str, student: str, deadline: float, late_until: float | None, by: str
) -> extensions.Extension:
    try:
        with writing(request.app.state.engine) as connection:
            return extensions.grant(connection, assignment, student, deadline, late_until, by)
    except extensions.UnknownStudent as exc:
        raise ApiError(404, str(exc)) from None
    except extensions.ExtensionError as exc:
        raise ApiError(400, str(exc)) from None


@router.delete("/assignments/{assignment}/extensions/{student}")
def delete_extension(assignment: str, student: str, request: Request) -> dict:
    _instructor(request)
    assignment = _assignment(assignment)
    with writing(request.app.state.engine) as connection:
        if not extensions.revoke(connection, assignment, student[:200]):
            raise ApiError(404, f"{student[:100]!r} has no extension for {assignment}")
    return {"assignment": assignment, "student": student, "extension": None}
