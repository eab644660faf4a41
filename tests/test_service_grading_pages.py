"""The grading pages over real HTTP (httpx, as a browser without JavaScript): a hostile written
answer renders inert on the grading page and in the notebook view; students get 403 on the
grading pages and 404 on others' notebooks; the form path enters scores (by hand and by rubric
item) that the student then reads; the dashboard's extension form. The browser walk-through is
in test_service_browser_grading.py."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import httpx
import pytest
from servicekit import ROOT, Service, wait_done
from test_service_pages import field

from grader.service.markup import MATHML_ATTRIBUTES

NOTEBOOKS = ROOT / "examples" / "submitted" / "ada" / "hw1"
HOSTILE = "\n\n".join(
    [
        "<script>alert('s')</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1)) and [ok](https://example.org/x)",
        "<div onclick=alert(2)>raw html</div> <b>bold?</b>",
        "left \u202e right",
        "$\\href{javascript:alert(3)}{x}$ and $\\text{<script>alert(4)</script>}$",
        "$" + "x^{" * 3000 + "}" * 3000 + "$",
        "Fine: $\\frac{\\partial E}{\\partial W_1}$",
    ]
)
ALLOWED_TAGS = set(
    [
        "p",
        "a",
        "span",
        "div",
        "code",
        "pre",
        "em",
        "strong",
        "br",
        "section",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
        "math",
        "mrow",
        "mi",
        "mo",
        "mn",
        "mtext",
        "mfrac",
        "msub",
        "msup",
        "msubsup",
        "msqrt",
        "mstyle",
        "mtable",
        "mtr",
        "mtd",
        "mover",
        "munder",
        "mspace",
    ]
)


def notebooks(backprop_answer: str, descent_answer: str) -> list[tuple[str, tuple[str, bytes]]]:
    """ada's two example notebooks with these written answers."""
    files = []
    for path, part, text in (
        (NOTEBOOKS / "backprop.ipynb", "backprop_written", backprop_answer),
        (NOTEBOOKS / "gradient_descent.ipynb", "gradient_descent_written", descent_answer),
    ):
        document = json.loads(path.read_text())
        for cell in document["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == part:
                cell["source"] = text
        files.append(("file", (path.name, json.dumps(document).encode())))
    return files


def hand_in(service: Service, student: str, backprop: str, descent: str = "GD is slow.") -> int:
    client = service.client(service.token(student))
    answer = client.post("/submissions", files=notebooks(backprop, descent), data={"assignment": "hw1"})
    assert answer.status_code == 202, answer.text
    return wait_done(client, answer.json()["id"])["id"]


def browser(service: Service, token: str) -> tuple[httpx.Client, str]:
    """A logged-in client (cookies kept) and the session's CSRF token, from the page the login
    leads to (a grader's goes on to /grading)."""
    client = httpx.Client(base_url=service.url, timeout=30)
    form = client.get("/login")
    answer = client.post("/login", data={"nonce": field(form.text, "nonce"), "token": token})
    assert answer.status_code == 303
    home = client.get(answer.headers["location"], follow_redirects=True)
    return client, field(home.text, "csrf")


@pytest.fixture(scope="module")
def service(database_url, tmp_path_factory):
    running = Service(database_url, tmp_path_factory.mktemp("grading"), workers=1).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def hostile(service) -> int:
    return hand_in(service, "mallory", HOSTILE)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def between(page: str, start: str, end: str) -> str:
    assert start in page, f"no {start} on the page"
    return page.split(start, 1)[1].split(end, 1)[0]


def assert_inert(html_text: str) -> None:
    """Only listed tags, no event handler, no javascript: target, no bidi override left raw."""
    parser = Tags()
    parser.feed(html_text)
    assert parser.tags, "nothing rendered"
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> passed"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name} on <{tag}>"
            assert name in {"class", "href", "rel", "dir", "id"} | MATHML_ATTRIBUTES, f"{name} on <{tag}>"
            if name == "href":
                assert value and value.startswith(("https://", "http://", "#", "mailto:")), value
    assert "\u202e" not in html_text and "[U+202E]" in html_text
    assert "&lt;script&gt;alert('s')&lt;/script&gt;" in html_text
    assert "&lt;img src=x onerror=" in html_text and "&lt;div onclick=alert(2)&gt;raw html" in html_text
    assert 'href="https://example.org/x"' in html_text
    assert "<mfrac>" in html_text, "the fine formula is MathML"
    assert '<code class="tex">x^{x^{' in html_text, "the huge formula stays source"


@pytest.mark.one_database
def test_a_hostile_written_answer_renders_inert_for_the_grader(service, hostile):
    tess, _ = browser(service, service.token("tess", "grader"))
    page = tess.get(f"/grading/hw1/backprop_written/{hostile}")
    assert page.status_code == 200, page.text
    assert_inert(between(page.text, '<section id="answer" class="answer" dir="auto">', "</section>"))
    assert "mallory" in page.text and "None" not in page.text


@pytest.mark.one_database
def test_the_notebook_view_renders_markdown_inert_and_code_as_text(service, hostile):
    tess, _ = browser(service, service.token("tess", "grader"))
    page = tess.get(f"/submissions/{hostile}/notebook/backprop.ipynb")
    assert page.status_code == 200, page.text
    shown = between(page.text, '<div id="notebook">', "</main>")
    assert '<pre class="cell code"><code>def forward(x, W1, W2):' in shown
    assert_inert(shown)


@pytest.mark.one_database
def test_students_get_403_on_grading_pages_and_404_on_others_notebooks(service, hostile):
    other = hand_in(service, "olive", "my own answer")
    olive, csrf = browser(service, service.token("olive"))
    for path in ("/grading", "/grading/hw1/backprop_written", f"/grading/hw1/backprop_written/{other}"):
        assert olive.get(path).status_code == 403, path
    post = olive.post(f"/grading/hw1/backprop_written/{other}", data={"csrf": csrf, "score": "4"})
    assert post.status_code == 403
    assert olive.get(f"/submissions/{other}/notebook/backprop.ipynb").status_code == 200
    for path in (
        f"/submissions/{hostile}/notebook/backprop.ipynb",
        f"/submissions/{other}/notebook/nope.ipynb",
    ):
        assert olive.get(path).status_code == 404, path
    anonymous = httpx.get(service.url + "/grading", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login"


def test_a_grader_enters_scores_by_rubric_and_by_hand_and_the_student_reads_them(service):
    sid = hand_in(service, "pat", "The chain is $\\frac{\\partial E}{\\partial \\hat y}$ times the rest.")
    staff = service.client(service.token("tess", "grader"))
    item = staff.post("/assignments/hw1/rubric/backprop_written", json={"text": "Chains right", "points": 3})
    assert item.status_code == 201, item.text
    tess, csrf = browser(service, service.token("tess", "grader"))
    listing = tess.get("/grading/hw1/backprop_written")
    assert (
        re.search(r"\d+ of \d+ graded", listing.text)
        and f"/grading/hw1/backprop_written/{sid}" in listing.text
    )
    page = f"/grading/hw1/backprop_written/{sid}"
    toggled = tess.post(
        page, data={"csrf": csrf, "toggle": str(item.json()["id"]), "comment": "see the rubric"}
    )
    assert toggled.status_code == 303 and toggled.headers["location"] == page
    shown = tess.get(page).text
    assert "Score <strong>3.0 / 4.0</strong>, entered by tess" in shown and "applied" in shown
    saved = tess.post(
        "/grading/hw1/gradient_descent_written/" + str(sid),
        data={"csrf": csrf, "score": "2.5", "comment": "<b>why</b> slow?", "action": "next"},
    )
    assert saved.status_code == 303 and "/next?after=" in saved.headers["location"]
    refused = tess.post(page, data={"csrf": csrf, "score": "9", "comment": ""})
    assert refused.status_code == 400 and "between 0 and 4" in refused.text
    pat, _ = browser(service, service.token("pat"))
    mine = pat.get(f"/submissions/{sid}").text
    assert "3.0 / 4.0" in mine and "+3: Chains right" in mine and "see the rubric" in mine
    assert "2.5 / 4.0" in mine and "&lt;b&gt;why&lt;/b&gt; slow?" in mine and "None" not in mine
    fresh = hand_in(service, "quin", "later")
    quin, _ = browser(service, service.token("quin"))
    waiting = quin.get(f"/submissions/{fresh}").text
    assert waiting.count("awaiting grading") == 2 and "None" not in waiting


@pytest.mark.one_database
def test_the_dashboard_grants_extensions_to_instructors_only(service):
    service.token("rosa")
    class_deadline = {"deadline": datetime(2030, 6, 1, tzinfo=UTC).timestamp()}  # an extension only adds time
    assert (
        service.client(service.token("prof", "instructor"))
        .put("/assignments/hw1", json=class_deadline)
        .status_code
        == 200
    )
    prof, csrf = browser(service, service.token("prof", "instructor"))
    form = {
        "csrf": csrf,
        "assignment": "hw1",
        "student": "rosa",
        "deadline": "2031-01-02 03:04",
        "late_days": "2",
    }
    granted = prof.post("/dashboard/extension", data=form)
    assert granted.status_code == 200 and "rosa may hand in hw1 until 2031-01-02 03:04 UTC" in granted.text
    entry = next(
        s
        for s in service.client(service.token("prof", "instructor"))
        .get("/roster?assignment=hw1")
        .json()["students"]
        if s["student"] == "rosa"
    )
    deadline = datetime(2031, 1, 2, 3, 4, tzinfo=UTC).timestamp()
    assert entry["extension"]["deadline"] == deadline
    assert entry["extension"]["late_until"] == deadline + 2 * 86400
    assert prof.post("/dashboard/extension", data={**form, "deadline": "soon"}).status_code == 400
    assert prof.post("/dashboard/extension", data={**form, "student": "nobody"}).status_code == 400
    tess, tess_csrf = browser(service, service.token("tess", "grader"))
    assert tess.post("/dashboard/extension", data={**form, "csrf": tess_csrf}).status_code == 403


@pytest.mark.one_database
def test_anonymous_grading_names_answers_by_submission_on_the_grading_pages(service):
    sid = hand_in(service, "vera", "an answer")
    prof, csrf = browser(service, service.token("prof", "instructor"))
    tess, tess_csrf = browser(service, service.token("tess", "grader"))
    assert tess.post("/grading/hw1/anonymous", data={"csrf": tess_csrf, "on": "1"}).status_code == 403
    assert prof.post("/grading/hw1/anonymous", data={"csrf": csrf, "on": "1"}).status_code == 303
    try:
        assert "hw1: on" in tess.get("/grading").text
        listing = tess.get("/grading/hw1/backprop_written").text
        assert f"Submission {sid}" in listing and "vera" not in listing
        page = tess.get(f"/grading/hw1/backprop_written/{sid}").text
        assert f"<code>backprop_written</code>: Submission {sid}</h1>" in page and "vera" not in page
        notebook = tess.get(f"/submissions/{sid}/notebook/backprop.ipynb").text
        assert f"Submission {sid} · hw1" in notebook and "vera" not in notebook
        assert 'id="back" href="/grading"' in notebook  # not to the submission's page, which names her
        vera, _ = browser(service, service.token("vera"))
        own = vera.get(f"/submissions/{sid}/notebook/backprop.ipynb").text
        assert "vera · hw1" in own and f'id="back" href="/submissions/{sid}"' in own
    finally:
        assert prof.post("/grading/hw1/anonymous", data={"csrf": csrf, "on": "0"}).status_code == 303
    assert "vera" in tess.get("/grading/hw1/backprop_written").text
