"""The upload page's hand-in, asked before it is partial: the form's files are screened as
accept screens them (submissions.screen: nothing stored, nothing queued); a hand-in that lacks
some of the assignment's functions is held, and a page names what is missing, notebook by
notebook, and asks. Only its `confirm` post (the held upload's one-time key, the session's CSRF
token) hands it in. A complete hand-in goes in at once, its parse reused.

Held uploads live in this process's memory: one per account, for CONFIRM_SECONDS, at most
MAX_HELD in all and MAX_HELD_BYTES of files (the oldest dropped first). Behind several front
ends, a confirmation that reaches another one finds nothing and says to upload again: nothing is
handed in unconfirmed."""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from grader import assignments
from grader.intake.uploads import Check, Rejected
from grader.service.accounts import Session, same_secret
from grader.service.submissions import Closed, TooMany, screen
from grader.service.web.api import gated, store
from grader.service.web.errors import ApiError
from grader.service.web.forms import read_upload
from grader.service.web.gate import charge
from grader.service.web.pages import _home_context, _same_origin, _session, render

router = APIRouter()
CONFIRM_SECONDS = 600.0
MAX_HELD = 64
MAX_HELD_BYTES = 256 << 20


class AskFirst(Exception):  # noqa: N818 - a page to show, not an error
    """The question page for a partial hand-in (raised past `gated`, which would count an
    answer as an accepted upload)."""

    def __init__(self, page: Response) -> None:
        super().__init__("a partial hand-in: asking first")
        self.page = page


@dataclass(frozen=True)
class Held:
    key: str
    assignment: str
    files: list[tuple[str, bytes]]
    check: Check | None
    at: float

    @property
    def size(self) -> int:
        return sum(len(data) for _, data in self.files)


class HeldUploads:
    """Partial hand-ins waiting for their student's confirmation, by account id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, Held] = {}

    def hold(
        self, account_id: str, assignment: str, files: list[tuple[str, bytes]], check: Check | None
    ) -> str:
        key = secrets.token_urlsafe(24)
        with self._lock:
            self._held.pop(account_id, None)
            size = sum(len(data) for _, data in files)
            while self._held and (
                len(self._held) >= MAX_HELD
                or size + sum(h.size for h in self._held.values()) > MAX_HELD_BYTES
            ):
                del self._held[min(self._held, key=lambda a: self._held[a].at)]
            self._held[account_id] = Held(key, assignment, files, check, time.monotonic())
        return key

    def take(self, account_id: str, key: str) -> Held | None:
        """The account's held upload if `key` is its key and it has not expired; it is gone after."""
        with self._lock:
            held = self._held.get(account_id)
            if held is None or not same_secret(key, held.key):
                return None
            del self._held[account_id]
        return held if time.monotonic() - held.at <= CONFIRM_SECONDS else None


def _held_uploads(request: Request) -> HeldUploads:
    state = request.app.state
    with _CREATING:
        if not hasattr(state, "held_uploads"):
            state.held_uploads = HeldUploads()
    return state.held_uploads


_CREATING = threading.Lock()


def missing_by_notebook(assignment: str, missing: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """The missing functions under the notebook each belongs in, in the assignment's order."""
    exercises = assignments.get(assignment).exercises
    return [
        (f"{notebook}.ipynb", [e.name for e in exercises if e.notebook == notebook and e.name in missing])
        for notebook in assignments.get(assignment).notebook_names
        if any(e.notebook == notebook and e.name in missing for e in exercises)
    ]


@router.post("/upload")
async def upload(request: Request) -> Response:
    session = await run_in_threadpool(_session, request)
    if session is None:
        return RedirectResponse("/login", status_code=303)
    try:
        if not _same_origin(request):
            raise ApiError(403, "a form from another site")
        return await gated(request, session.account, lambda: _screen_or_hand_in(request, session))
    except AskFirst as question:
        # Not a hand-in: a run of questions never confirmed is charged like a run of refusals,
        # so screening over and over (each a parse) is not free.
        state = request.app.state
        if state.gate.refused(session.account):
            await run_in_threadpool(charge, state.engine, session.account, state.settings.rate)
        return question.page
    except ApiError as exc:
        context = await run_in_threadpool(_home_context, request, session, exc.message)
        response = render("home.html", exc.status, **context)
        if exc.headers:
            response.headers.update(exc.headers)
        return response


async def _screen_or_hand_in(request: Request, session: Session) -> Response:
    state = request.app.state
    form = await read_upload(request, state.settings.options.budget)
    if not same_secret(form.fields.get("csrf", ""), session.csrf):
        raise ApiError(403, "the form is out of date (CSRF token); reload the page")
    account, held_uploads = session.account, _held_uploads(request)
    key = form.fields.get("confirm")
    if key is not None:
        held = held_uploads.take(account.id, key)
        if held is None:
            raise ApiError(400, "that confirmation has expired or was used already: choose your files again")
        return _submitted(await store(request, account, held.assignment, held.files, *_reuse(held.check)))
    try:
        screened = await run_in_threadpool(
            screen, state.engine, state.settings, account, form.assignment, form.files
        )
    except Rejected as exc:
        raise ApiError(400, str(exc)) from None
    except Closed as exc:
        raise ApiError(403, str(exc)) from None
    except TooMany as exc:
        raise ApiError(429, str(exc), {"Retry-After": str(exc.retry_after)}) from None
    if not screened.missing:
        return _submitted(
            await store(request, account, screened.assignment, form.files, *_reuse(screened.check))
        )
    key = held_uploads.hold(account.id, screened.assignment, form.files, screened.check)
    raise AskFirst(
        render(
            "confirm_upload.html",
            session=session,
            key=key,
            assignment=screened.assignment,
            files=[name for name, _ in form.files],
            missing=missing_by_notebook(screened.assignment, screened.missing),
            notebooks=[f"{n}.ipynb" for n in assignments.get(screened.assignment).notebook_names],
            minutes=int(CONFIRM_SECONDS // 60),
        )
    )


def _reuse(check: Check | None) -> tuple[Check, ...]:
    return () if check is None else (check,)


def _submitted(answer: Response) -> Response:
    submission_id = json.loads(bytes(answer.body))["id"]
    return RedirectResponse(f"/submissions/{submission_id}", status_code=303)
