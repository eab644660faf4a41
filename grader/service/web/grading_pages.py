"""The teaching assistants' pages (SPEC 7.1's grader role in a browser): per assignment and
manual part, the answers to grade with progress and a "next ungraded" link; one answer's page
with the student's written text rendered inert (markup.py), a score and comment form, and the
part's rubric items as one-click buttons (rubric.py does the arithmetic). Beside them, the
read-only view of a submission's notebook (its owner, graders and instructors; a 404 for anyone
else, as the files API) and the dashboard's extension form. Scores are stored exactly as
`PUT /api/v1/submissions/{id}/manual/{part}` stores them."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from grader import assignments
from grader.service import anonymity, extensions, manual, markup, rubric
from grader.service.accounts import AccountError, Session, check_id
from grader.service.answers import written_answer
from grader.service.grading import queue
from grader.service.notebook_view import view_of
from grader.service.store.database import writing
from grader.service.stored_files import Pruned, file_of
from grader.service.submissions import describe, visible_row
from grader.service.web.api import SubmissionId
from grader.service.web.pages import _checked_form, _session, render

router = APIRouter()


def _message(session: Session | None, status: int, title: str, message: str) -> Response:
    return render("message.html", status, title=title, message=message, session=session)


def _staff_page(request: Request) -> tuple[Session | None, Response | None]:
    """The session of a grader or instructor, or the answer for anyone else: the login page
    without a session, a 403 page for a student."""
    session = _session(request)
    if session is None:
        return None, RedirectResponse("/login", status_code=303)
    if not session.account.staff:
        return session, _message(session, 403, "Graders only", "These pages are for graders and instructors.")
    return session, None


def _part_or_404(session: Session, assignment: str, part: str) -> Response | None:
    if assignment not in assignments.ids() or part not in manual.parts(assignment):
        return _message(session, 404, "Not found", "There is no such manual part.")
    return None


@router.get("/grading")
def grading_index(request: Request) -> Response:
    session, refused = _staff_page(request)
    if refused is not None or session is None:
        return refused or RedirectResponse("/login", status_code=303)
    with request.app.state.engine.connect() as connection:
        queues = [queue(connection, a, p) for a in assignments.ids() for p in manual.parts(a)]
        hidden = [(a, anonymity.anonymous(connection, a)) for a in assignments.ids()]
    return render("grading_index.html", session=session, queues=queues, anonymity=hidden)


@router.post("/grading/{assignment}/anonymous")
async def grading_anonymity(assignment: str, request: Request) -> Response:
    """Turn anonymous grading of the assignment on or off (instructors)."""
    session = await run_in_threadpool(_session, request)
    if session is not None and not session.account.instructor:
        return _message(
            session, 403, "Instructors only", "Only an instructor changes how an assignment is graded."
        )
    fields = await _checked_form(request, session)
    if assignment not in assignments.ids():
        return _message(session, 404, "Not found", "There is no such assignment.")

    def change() -> None:
        with writing(request.app.state.engine) as connection:
            anonymity.set_anonymous(connection, assignment, fields.get("on") == "1")

    await run_in_threadpool(change)
    return RedirectResponse("/grading", status_code=303)


@router.get("/grading/{assignment}/{part}")
def grading_list(assignment: str, part: str, request: Request) -> Response:
    session, refused = _staff_page(request)
    if refused is not None or session is None:
        return refused or RedirectResponse("/login", status_code=303)
    missing = _part_or_404(session, assignment, part)
    if missing is not None:
        return missing
    with request.app.state.engine.connect() as connection:
        shown = queue(connection, assignment, part)
        items = [i for i in rubric.items_for(connection, assignment) if i.exercise == part]
    return render("grading_list.html", session=session, queue=shown, items=items, next=shown.next_after())


@router.get("/grading/{assignment}/{part}/next")
def grading_next(assignment: str, part: str, request: Request, after: int | None = None) -> Response:
    session, refused = _staff_page(request)
    if refused is not None or session is None:
        return refused or RedirectResponse("/login", status_code=303)
    missing = _part_or_404(session, assignment, part)
    if missing is not None:
        return missing
    with request.app.state.engine.connect() as connection:
        following = queue(connection, assignment, part).next_after(after)
    target = f"/grading/{assignment}/{part}"
    return RedirectResponse(target if following is None else f"{target}/{following.submission_id}", 303)


@router.get("/grading/{assignment}/{part}/{submission_id}")
def grading_answer(assignment: str, part: str, submission_id: SubmissionId, request: Request) -> Response:
    session, refused = _staff_page(request)
    if refused is not None or session is None:
        return refused or RedirectResponse("/login", status_code=303)
    missing = _part_or_404(session, assignment, part)
    if missing is not None:
        return missing
    with request.app.state.engine.connect() as connection:
        row = visible_row(connection, session.account, submission_id)
        if row is None or row.assignment != assignment:
            return _message(session, 404, "Not found", "There is no such submission.")
        answer = written_answer(connection, row, part)
        shown = queue(connection, assignment, part)
        entered = manual.entered_for(connection, [row.id])[row.id].get(part)
        items = [i for i in rubric.items_for(connection, assignment) if i.exercise == part]
    return render(
        "grading_answer.html",
        session=session,
        queue=shown,
        row=row,
        answer=answer,
        author=anonymity.label(row.account_id, row.id, shown.anonymous),
        rendered=None if answer.text is None else markup.markdown(answer.text),
        entered=entered,
        items=items,
        applied=set(entered.rubric) if entered else set(),
        following=shown.next_after(row.id),
    )


def _number(text: str, what: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise manual.ManualError(f"{what} must be a number") from None
    if not math.isfinite(value):
        raise manual.ManualError(f"{what} must be a finite number")
    return value


def _store(request: Request, session: Session, assignment: str, part: str, sid: int, fields: dict) -> int:
    """Enter the score the form gives (a rubric item toggled, or a score typed); returns the
    submission's id. ManualError for a score the API would refuse too; LookupError: no such
    submission of the assignment."""
    with writing(request.app.state.engine) as connection:
        row = visible_row(connection, session.account, sid)
        if row is None or row.assignment != assignment:
            raise LookupError(sid)
        entered = manual.entered_for(connection, [row.id])[row.id].get(part)
        applied = set(entered.rubric) if entered else set()
        kept = entered.comment if entered else ""  # a form without the field keeps the comment
        comment = fields.get("comment", kept).replace("\r\n", "\n")
        if fields.get("toggle"):
            item = int(_number(fields["toggle"], "the rubric item"))
            score = rubric.apply(connection, row.id, assignment, part, sorted(applied ^ {item}))
        else:
            score = _number(fields.get("score", ""), "the score")
            if entered is not None and applied and score == entered.score:
                # the score the items make, sent back with a new comment: the items stay
                rubric.apply(connection, row.id, assignment, part, sorted(applied))
            else:
                manual.part_maximum(assignment, part)
                rubric.clear(connection, row.id, part)  # a score by hand replaces the items
        score, comment = manual.validated(assignment, part, {"score": score, "comment": comment})
        manual.enter(connection, row.id, part, score, comment, session.account.id, time.time())
        return row.id


@router.post("/grading/{assignment}/{part}/{submission_id}")
async def grading_save(assignment: str, part: str, submission_id: SubmissionId, request: Request) -> Response:
    session, refused = await run_in_threadpool(_staff_page, request)
    if refused is not None or session is None:
        return refused or RedirectResponse("/login", status_code=303)
    fields = await _checked_form(request, session)
    missing = _part_or_404(session, assignment, part)
    if missing is not None:
        return missing
    try:
        await run_in_threadpool(_store, request, session, assignment, part, submission_id, fields)
    except LookupError:
        return _message(session, 404, "Not found", "There is no such submission.")
    except manual.ManualError as exc:
        return _message(session, 400, "Not saved", str(exc))
    here = f"/grading/{assignment}/{part}"
    if fields.get("action") == "next":
        return RedirectResponse(f"{here}/next?after={submission_id}", status_code=303)
    return RedirectResponse(f"{here}/{submission_id}", status_code=303)


@router.post("/grading/{assignment}/{part}/rubric/new")
async def grading_new_item(assignment: str, part: str, request: Request) -> Response:
    session, refused = await run_in_threadpool(_staff_page, request)
    if refused is not None or session is None:
        return refused or RedirectResponse("/login", status_code=303)
    fields = await _checked_form(request, session)
    missing = _part_or_404(session, assignment, part)
    if missing is not None:
        return missing

    def add() -> None:
        body = {"text": fields.get("text", ""), "points": _number(fields.get("points", ""), "points")}
        with writing(request.app.state.engine) as connection:
            rubric.add_item(connection, assignment, part, body, session.account.id)

    try:
        await run_in_threadpool(add)
    except manual.ManualError as exc:
        return _message(session, 400, "Not saved", str(exc))
    back = fields.get("back", "")
    here = f"/grading/{assignment}/{part}"
    return RedirectResponse(
        back if back.startswith(here + "/") and back[len(here) + 1 :].isdigit() else here, 303
    )


@router.get("/submissions/{submission_id}/notebook/{name:path}")
def notebook_view(submission_id: SubmissionId, name: str, request: Request) -> Response:
    """A stored notebook, read-only: markdown rendered inert, code as escaped text, no outputs."""
    session = _session(request)
    if session is None:
        return RedirectResponse("/login", status_code=303)
    with request.app.state.engine.connect() as connection:
        row = visible_row(connection, session.account, submission_id)
        try:
            data = None if row is None else file_of(connection, row, name)
        except Pruned:
            return _message(session, 410, "Removed", "This submission's files were removed (retention).")
        item = None if row is None else describe(connection, row, with_result=False)
        staff = session.account.staff
        hidden = item is not None and staff and anonymity.anonymous(connection, item["assignment"])
        if item is not None and hidden:
            item["student"] = anonymity.label(item["student"], item["id"], True)
    if row is None or data is None or item is None:
        return _message(session, 404, "Not found", "There is no such submission.")
    view = view_of(name, data)
    back = "/grading" if hidden else f"/submissions/{item['id']}"  # the submission page names the student
    return render(
        "notebook.html",
        session=session,
        item=item,
        notebook=name,
        cells=view.cells,
        problem=view.problem,
        back=back,
    )


def _moment(text: str, what: str) -> float:
    """A form's `YYYY-MM-DD HH:MM` (UTC, as the dashboard shows times) in seconds since 1970."""
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    raise extensions.ExtensionError(f"{what} must be a time like 2026-12-24 23:59 (UTC)")


@router.post("/dashboard/extension")
async def dashboard_extension(request: Request) -> Response:
    """Grant a student their own deadline (and late window, in days), as the extensions API does."""
    session = await run_in_threadpool(_session, request)
    if session is not None and not session.account.instructor:
        return _message(session, 403, "Instructors only", "Only an instructor grants extensions.")
    fields = await _checked_form(request, session)
    assert session is not None  # _checked_form refuses a request without one
    assignment, student = fields.get("assignment", ""), fields.get("student", "").strip()
    try:
        if assignment not in assignments.ids():
            raise extensions.ExtensionError("unknown assignment")
        check_id(student)
        deadline = _moment(fields.get("deadline", ""), "the deadline")
        days = fields.get("late_days", "").strip()
        late = None if not days else deadline + _number(days, "the late window (days)") * 86400
        deadline, late = extensions.validated({"deadline": deadline, "late_until": late})

        def grant() -> None:
            with writing(request.app.state.engine) as connection:
                extensions.grant(connection, assignment, student, deadline, late, session.account.id)

        await run_in_threadpool(grant)
    except (AccountError, extensions.ExtensionError, extensions.UnknownStudent, manual.ManualError) as exc:
        return _message(session, 400, "No extension granted", str(exc))
    until = markup.plain(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(deadline)))
    return _message(session, 200, "Extension granted", f"{student} may hand in {assignment} until {until}.")
