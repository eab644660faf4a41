"""The JSON API (SPEC section 7), under /api/v1, authenticated by `Authorization: Bearer`.
Students see only their own submissions (another's id is 404, as for one that does not exist);
graders and instructors see all and the results that count; instructors alone see the queue and
workers, and may change an assignment's settings or regrade. What SPEC 7.1 adds for running a
course (manual scores, the roster, files, extensions) is in course_api.py."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from grader import assignments
from grader.intake.checking import in_child
from grader.intake.uploads import Check, Rejected
from grader.service import dashboard, jobs, ratelimit
from grader.service.accounts import Account, authenticate, same_secret
from grader.service.deadlines import (
    AssignmentSettings,
    SettingsError,
    change_settings,
    checked_number,
    settings_for,
)
from grader.service.gradebook import csv_export
from grader.service.results import counted
from grader.service.retention import OverQuota
from grader.service.store.database import writing
from grader.service.submissions import Closed, TooMany, accept, describe, describe_visible, listing
from grader.service.web.errors import ApiError
from grader.service.web.forms import read_upload
from grader.service.web.gate import UploadGate, charge
from grader.service.web.waiting import MAX_WAIT

router = APIRouter()
T = TypeVar("T")


SubmissionId = Annotated[int, Path(ge=1, le=2**63 - 1)]
"""A submission id in a URL: a database integer (a larger one is a 400, not an overflow)."""
WaitSeconds = Annotated[float, Query(ge=0, le=MAX_WAIT)]
"""`?wait=S`: answer once the submission is done or failed, or after S seconds (waiting.py)."""


def _account(request: Request) -> Account:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    account = authenticate(request.app.state.engine, token.strip()) if scheme.lower() == "bearer" else None
    if account is None:
        raise ApiError(
            401, "a valid token is needed: Authorization: Bearer <token>", {"WWW-Authenticate": "Bearer"}
        )
    return account


def _instructor(request: Request) -> Account:
    account = _account(request)
    if not account.instructor:
        raise ApiError(403, "instructors only")
    return account


def _staff(request: Request) -> Account:
    """A grader or an instructor: reads everything, enters manual scores."""
    account = _account(request)
    if not account.staff:
        raise ApiError(403, "graders and instructors only")
    return account


def _assignment(value: str | None) -> str:
    if value not in assignments.ids():
        raise ApiError(400, f"unknown assignment (known: {', '.join(assignments.ids())})")
    return value


async def submit(request: Request, account: Account, csrf: str | None = None) -> JSONResponse:
    """Shared by the API and the upload page (which passes the session's CSRF token, checked
    against the form's before anything is stored): 202 with the submission, or an ApiError."""
    return await gated(request, account, lambda: _receive(request, account, csrf))


async def gated(request: Request, account: Account, step: Callable[[], Awaitable[T]]) -> T:
    """`step` (an upload's receiving) with one upload per account at a time, and a run of
    refusals charged (gate.py)."""
    state = request.app.state
    gate: UploadGate = state.gate
    with gate.one_at_a_time(account):
        try:
            answer = await step()
        except ApiError as exc:
            if exc.status == 400 and gate.refused(account):
                await run_in_threadpool(charge, state.engine, account, state.settings.rate)
            raise
    gate.accepted(account)
    return answer


async def _receive(request: Request, account: Account, csrf: str | None) -> JSONResponse:
    state = request.app.state
    form = await read_upload(request, state.settings.options.budget)
    if csrf is not None and not same_secret(form.fields.get("csrf", ""), csrf):
        raise ApiError(403, "the form is out of date (CSRF token); reload the page")
    return await store(request, account, form.assignment, form.files)


async def store(
    request: Request,
    account: Account,
    assignment: str | None,
    files: list[tuple[str, bytes]],
    check: Check = in_child,
) -> JSONResponse:
    """Accept the files (submissions.accept, its refusals as ApiErrors): 202 with the
    submission, its queue position and the assignment's functions the files lack."""
    state = request.app.state
    try:
        accepted = await run_in_threadpool(
            accept, state.engine, state.settings, state.channel, account, assignment, files, check
        )
    except Rejected as exc:
        raise ApiError(400, str(exc)) from None
    except Closed as exc:
        raise ApiError(403, str(exc)) from None
    except TooMany as exc:
        raise ApiError(429, str(exc), {"Retry-After": str(exc.retry_after)}) from None
    except OverQuota as exc:
        raise ApiError(413, str(exc)) from None
    with state.engine.connect() as connection:
        position = jobs.position(connection, accepted.job_id)
    body = {
        "id": accepted.id,
        "status": accepted.status,
        "position": position,
        "duplicate": accepted.duplicate,
        "assignment": accepted.assignment,
    }
    if accepted.missing is not None:
        body["missing"] = list(accepted.missing)
    return JSONResponse(body, status_code=202)


@router.post("/submissions")
async def post_submission(request: Request) -> JSONResponse:
    account = await run_in_threadpool(_account, request)
    return await submit(request, account)


@router.get("/submissions/{submission_id}")
async def get_submission(submission_id: SubmissionId, request: Request, wait: WaitSeconds = 0) -> dict:
    account = await run_in_threadpool(_account, request)
    return await visible_after_waiting(request, account, submission_id, wait)


async def visible_after_waiting(request: Request, account: Account, submission_id: int, wait: float) -> dict:
    """`visible`, once the submission is done or failed or `wait` seconds have passed (a
    submission this account may not see is a 404 at once, never after a wait)."""
    item = await run_in_threadpool(visible, request, account, submission_id)
    if wait > 0 and item["status"] not in jobs.FINAL:
        await request.app.state.waiting.until_settled(submission_id, account.id, wait)
        item = await run_in_threadpool(visible, request, account, submission_id)
    return item


def visible(request: Request, account: Account, submission_id: int) -> dict:
    """The submission as `describe` gives it, or 404 if this account may not see it."""
    item = describe_visible(request.app.state.engine, account, submission_id)
    if item is None:
        raise ApiError(404, "no such submission")
    return item


@router.get("/submissions")
def get_submissions(request: Request, assignment: str | None = None) -> dict:
    account = _account(request)
    with request.app.state.engine.connect() as connection:
        rows = listing(connection, account, assignment)
        return {"submissions": [describe(connection, row) for row in rows]}


@router.get("/results")
def get_results(request: Request, assignment: str | None = None) -> dict:
    _staff(request)
    assignment = _assignment(assignment)
    with request.app.state.engine.connect() as connection:
        return {
            "assignment": assignment,
            "submissions": [c.to_json() for c in counted(connection, assignment)],
        }


@router.get("/results.csv")
def get_results_csv(request: Request, assignment: str | None = None) -> PlainTextResponse:
    _staff(request)
    return results_csv(request, _assignment(assignment))


def results_csv(request: Request, assignment: str) -> PlainTextResponse:
    """The counted results' CSV export, as a download named after the assignment."""
    with request.app.state.engine.connect() as connection:
        text = csv_export(connection, assignment)
    disposition = f'attachment; filename="{assignment}-results.csv"'
    return PlainTextResponse(text, media_type="text/csv", headers={"Content-Disposition": disposition})


@router.get("/me")
def get_me(request: Request) -> dict:
    account = _account(request)
    with request.app.state.engine.connect() as connection:
        left = ratelimit.allowance(connection, account.id, request.app.state.settings.rate, time.time())
    return {
        "id": account.id,
        "role": account.role,
        "submissions_available": None if account.instructor else left.available,
        "next_submission_in": None if account.instructor else round(left.next_in, 1),
    }


@router.get("/assignments")
def get_assignments(request: Request) -> dict:
    _account(request)
    with request.app.state.engine.connect() as connection:
        return {"assignments": [settings_for(connection, a).to_json() for a in assignments.ids()]}


SETTING_KEYS = ("deadline", "late_until", "penalty_per_day", "policy")


@router.put("/assignments/{assignment}")
async def put_assignment(assignment: str, request: Request) -> dict:
    """Change the settings the body names; a field left out keeps its value (null clears a
    deadline or late window)."""
    await run_in_threadpool(_instructor, request)
    assignment = _assignment(assignment)
    try:
        body = await request.json()
    except (ValueError, RecursionError):
        body = None
    try:
        settings = await run_in_threadpool(_update, request.app.state.engine, assignment, body)
    except (ValueError, TypeError) as exc:
        message = str(exc) if isinstance(exc, SettingsError) else ""
        raise ApiError(
            400,
            message
            or "send JSON with any of: deadline, late_until (seconds since 1970, or null), "
            "penalty_per_day (a fraction), policy (latest or best)",
        ) from None
    return settings.to_json()


def _changes(body: object) -> dict[str, object]:
    """The settings the body gives, each checked; ValueError for anything malformed."""
    if not isinstance(body, dict):
        raise ValueError
    unknown = sorted(set(body) - {*SETTING_KEYS, "assignment"})  # GET's objects may be sent back
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(k[:40] for k in unknown[:5])}")
    changes: dict[str, object] = {}
    for key in ("deadline", "late_until"):
        if key in body:
            changes[key] = checked_number(body[key], key)
    if "penalty_per_day" in body:
        changes["penalty_per_day"] = (
            checked_number(body["penalty_per_day"], "penalty_per_day", "a fraction") or 0.0
        )
    if "policy" in body:
        if not isinstance(body["policy"], str):
            raise ValueError
        changes["policy"] = body["policy"]
    return changes


def _update(engine: Engine, assignment: str, body: object) -> AssignmentSettings:
    """Read, change and store in one write transaction (deadlines.change_settings, as `grader
    assignment set` does: what the body leaves out keeps its value)."""
    changes = _changes(body)
    with writing(engine) as connection:
        return change_settings(connection, assignment, changes)


@router.post("/regrade")
async def post_regrade(request: Request) -> JSONResponse:
    await run_in_threadpool(_instructor, request)
    try:
        body = await request.json()
        assignment = _assignment(body.get("assignment"))
        student = body.get("student")
        if student is not None and not isinstance(student, str):
            raise ValueError
    except (ValueError, AttributeError, TypeError, RecursionError):
        raise ApiError(400, 'send JSON: {"assignment": ID, "student": ID or null}') from None
    added = await run_in_threadpool(
        dashboard.regrade_and_wake, request.app.state.engine, request.app.state.channel, assignment, student
    )
    return JSONResponse({"queued": len(added)}, status_code=202)


@router.get("/queue")
def get_queue(request: Request) -> dict:
    _instructor(request)
    return dashboard.live(request.app.state.engine, request.app.state.settings)


@router.get("/health")
def get_health(request: Request) -> dict:
    with request.app.state.engine.connect() as connection:
        counts = jobs.queue_counts(connection)
    return {"ok": True, "queued": counts[jobs.QUEUED], "running": counts[jobs.RUNNING]}
