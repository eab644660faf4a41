"""The web pages: a login that exchanges a token for a session cookie (HttpOnly, SameSite=Strict),
the student's page (upload, history, which submission counts, how many submissions are left),
one submission's page (queue position and status, live, then the feedback), and the
instructor's dashboard. Every form post carries the session's CSRF token and must come from this
origin; every student-supplied text is escaped by the templates."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from grader import assignments
from grader.model.results import SubmissionResult
from grader.report.student_files import STYLE as FEEDBACK_STYLE
from grader.report.student_files import feedback_html
from grader.service import dashboard, ratelimit
from grader.service.accounts import Session, end_session, find_session, same_secret, start_session
from grader.service.deadlines import settings_for
from grader.service.results import counted
from grader.service.rubric import rubric_texts
from grader.service.submissions import describe, listing
from grader.service.web.api import (
    SubmissionId,
    WaitSeconds,
    results_csv,
    visible,
    visible_after_waiting,
)
from grader.service.web.errors import ApiError

router = APIRouter()
COOKIE = "grader_session"
LOGIN_COOKIE = "grader_login"
templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def _when(seconds: float | None) -> str:
    return "" if seconds is None else time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(seconds))


templates.filters["when"] = _when


def render(name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(templates.get_template(name).render(**context), status_code=status)


def _session(request: Request) -> Session | None:
    return find_session(request.app.state.engine, request.cookies.get(COOKIE, ""))


def _same_origin(request: Request) -> bool:
    """A browser's post names its origin; one without (an old client) still needs the token."""
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"


async def _checked_form(request: Request, session: Session | None) -> dict[str, str]:
    """A posted form from this origin carrying the session's CSRF token; else 403."""
    if session is None:
        raise ApiError(401, "log in first")
    if not _same_origin(request):
        raise ApiError(403, "a form from another site")
    form = await request.form(max_files=0, max_fields=20, max_part_size=64 << 10)
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    if not same_secret(fields.get("csrf", ""), session.csrf):
        raise ApiError(403, "the form is out of date (CSRF token); reload the page")
    return fields


def not_found(request: Request) -> HTMLResponse:
    return render("message.html", 404, title="Not found", message="There is no such page.", session=None)


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
        path="/",
    )


SITE_CSS = (Path(__file__).resolve().parent / "static" / "site.css").read_text(encoding="utf-8")


@router.get("/style.css")
def style() -> Response:
    """The feedback pages' rules (the same feedback looks the same) and the site's own."""
    return Response(FEEDBACK_STYLE + SITE_CSS, media_type="text/css")


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    response = render("login.html", nonce=nonce, error=None, session=None)
    _cookie(response, request, LOGIN_COOKIE, nonce, 600)
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5, max_part_size=4096)
    nonce = str(form.get("nonce", ""))
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not _same_origin(request) or not expected or not same_secret(nonce, expected):
        return render(
            "message.html",
            403,
            title="Log in again",
            message="The login form expired; reload it.",
            session=None,
        )
    token = str(form.get("token", "")).strip()
    state = request.app.state
    started = await run_in_threadpool(start_session, state.engine, token, state.settings.session_hours)
    if started is None:
        fresh = secrets.token_urlsafe(24)
        response = render(
            "login.html", 401, nonce=fresh, error="That token is not valid (or was revoked).", session=None
        )
        _cookie(response, request, LOGIN_COOKIE, fresh, 600)
        return response
    cookie, session = started
    redirect = RedirectResponse("/dashboard" if session.account.instructor else "/", status_code=303)
    _cookie(redirect, request, COOKIE, cookie, int(state.settings.session_hours * 3600))
    redirect.delete_cookie(LOGIN_COOKIE, path="/")
    return redirect


@router.post("/logout")
async def logout(request: Request) -> Response:
    session = _session(request)
    await _checked_form(request, session)
    end_session(request.app.state.engine, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _home_context(request: Request, session: Session, error: str | None = None) -> dict:
    engine, settings = request.app.state.engine, request.app.state.settings
    with engine.connect() as connection:
        rows = listing(connection, session.account)
        items = [describe(connection, row, with_result=True) for row in rows]
        counted_ids = {
            c.submission_id
            for a in assignments.ids()
            for c in counted(connection, a)
            if c.student == session.account.id
        }
        left = ratelimit.allowance(connection, session.account.id, settings.rate, time.time())
        rules = [settings_for(connection, a) for a in assignments.ids()]
    return {
        "session": session,
        "submissions": items,
        "counted": counted_ids,
        "left": left,
        "burst": settings.rate.burst,
        "assignments": [
            (a, assignments.get(a).title, [f"{n}.ipynb" for n in assignments.get(a).notebook_names])
            for a in assignments.ids()
        ],
        "rules": rules,
        "error": error,
    }


@router.get("/")
def home(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return RedirectResponse("/login", status_code=303)
    if session.account.staff:
        return RedirectResponse("/dashboard" if session.account.instructor else "/grading", status_code=303)
    return render("home.html", **_home_context(request, session))


@router.get("/submissions/{submission_id}")
def submission_page(submission_id: SubmissionId, request: Request) -> Response:
    session = _session(request)
    if session is None:
        return RedirectResponse("/login", status_code=303)
    try:
        item = visible(request, session.account, submission_id)
    except ApiError:
        return render(
            "message.html", 404, title="Not found", message="There is no such submission.", session=session
        )
    feedback = None
    if item["result"] is not None:
        result = SubmissionResult.from_json(item["result"])
        feedback = feedback_html(result, request.app.state.settings.options.cases)
    rubric = rubric_texts(request.app.state.engine, item["assignment"])
    return render("submission.html", session=session, item=item, feedback=feedback, rubric=rubric)


@router.get("/submissions/{submission_id}/status.json")
async def submission_status(
    submission_id: SubmissionId, request: Request, wait: WaitSeconds = 0
) -> JSONResponse:
    session = await run_in_threadpool(_session, request)
    if session is None:
        raise ApiError(401, "log in first")
    item = await visible_after_waiting(request, session.account, submission_id, wait)
    return JSONResponse(
        {"status": item["status"], "position": item["position"], "regrading": item["regrading"]}
    )


def _instructor_session(request: Request) -> Session | None:
    session = _session(request)
    return session if session is not None and session.account.instructor else None


@router.get("/dashboard")
def dashboard_page(request: Request) -> Response:
    session = _instructor_session(request)
    if session is None:
        return RedirectResponse("/login", status_code=303)
    engine, settings = request.app.state.engine, request.app.state.settings
    data = dashboard.live(engine, settings)
    with engine.connect() as connection:
        rules = [settings_for(connection, a) for a in assignments.ids()]
    figures = {a: dashboard.plots(engine, a) for a in assignments.ids()}
    return render("dashboard.html", session=session, data=data, rules=rules, figures=figures)


@router.get("/dashboard/live.json")
def dashboard_live(request: Request) -> JSONResponse:
    if _instructor_session(request) is None:
        raise ApiError(403, "instructors only")
    return JSONResponse(dashboard.live(request.app.state.engine, request.app.state.settings))


@router.get("/dashboard/results.csv")
def dashboard_csv(request: Request, assignment: str = assignments.DEFAULT) -> Response:
    if _instructor_session(request) is None:
        raise ApiError(403, "instructors only")
    if assignment not in assignments.ids():
        raise ApiError(400, "unknown assignment")
    return results_csv(request, assignment)


@router.post("/dashboard/regrade")
async def dashboard_regrade(request: Request) -> Response:
    session = await run_in_threadpool(_instructor_session, request)
    fields = await _checked_form(request, session)
    assignment = fields.get("assignment", "")
    if assignment not in assignments.ids():
        raise ApiError(400, "unknown assignment")
    student = fields.get("student", "").strip() or None
    state = request.app.state
    await run_in_threadpool(dashboard.regrade_and_wake, state.engine, state.channel, assignment, student)
    return RedirectResponse("/dashboard", status_code=303)
