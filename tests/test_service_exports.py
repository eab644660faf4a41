"""The downloads of running a course (issue 18): gradebook exports in Canvas's and Moodle's
import layouts beside the nbgrader CSV, the zip of a whole assignment and of one submission,
against `grader serve` on loopback, on SQLite and on PostgreSQL, with their refusals."""

from __future__ import annotations

import csv
import io
import stat
import zipfile

import pytest
from coursekit import BASE, course_service, graded, logged_in, post, score, staff_clients
from servicekit import variant, wait_done

from grader.service import zips


@pytest.fixture(scope="module")
def service(database_url, tmp_path_factory):
    yield from course_service(database_url, tmp_path_factory, "exports")


@pytest.fixture(scope="module")
def staff(service):
    return staff_clients(service)


@pytest.fixture(scope="module")
def course(service, staff):
    """An imported student with hostile names who never submits, a student with a token who
    never submits, and two graded students, one with both manual parts scored."""
    from grader.service.accounts import ensure_account
    from grader.service.store.database import writing

    engine = service.engine()
    with writing(engine) as connection:
        ensure_account(connection, "imogen", "student", '=HYPERLINK("x")', "@SUM(1)", "+i@example.org")
    engine.dispose()
    service.token("nick")
    _, ada = graded(service, "ada")
    _, bob = graded(service, "bob")
    for part in ("backprop_written", "gradient_descent_written"):
        assert score(staff["tess"], ada["id"], part, {"score": 3}).status_code == 200
    return {"ada": ada["id"], "bob": bob["id"]}


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_canvas_export_has_canvas_columns_and_a_row_for_every_roster_student(service, staff, course):
    answer = staff["prof"].get("/assignments/hw1/gradebook.csv", params={"format": "canvas"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="hw1-canvas.csv"' in answer.headers["content-disposition"]
    table = rows(answer.text)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "hw1"]
    assert table[1] == ["    Points Possible", "", "", "", "", "100"]
    by_id = {r[2]: r for r in table[2:]}
    assert {"ada", "bob", "imogen", "nick"} <= set(by_id) and not {"prof", "tess"} & set(by_id)
    assert by_id["ada"] == ["ada", "", "ada", "", "", "98"], "92 autograded + 3 + 3 manual"
    assert by_id["bob"][5] == "92" and by_id["nick"][5] == "" and by_id["imogen"][5] == ""
    assert by_id["imogen"][0] == '\'@SUM(1), =HYPERLINK("x")', "text cells cannot start a formula"
    login = staff["prof"].get(
        "/assignments/hw1/gradebook.csv",
        params={"format": "canvas", "match": "sis_login_id", "title": "HW 1 (42)"},
    )
    table = rows(login.text)
    assert table[0][5] == "HW 1 (42)"
    assert next(r for r in table if r[3] == "ada")[2] == "", "the roster id in SIS Login ID only"


def test_the_moodle_export_identifies_students_by_id_number_and_email(service, staff, course):
    answer = staff["prof"].get("/assignments/hw1/gradebook.csv", params={"format": "moodle", "title": "=cmd"})
    assert answer.status_code == 200, answer.text
    table = rows(answer.text)
    assert table[0] == ["ID number", "Email address", "First name", "Last name", "'=cmd"]
    by_id = {r[0]: r for r in table[1:]}
    assert by_id["ada"][4] == "98" and by_id["nick"][4] == ""
    assert by_id["imogen"][1:4] == ["'+i@example.org", '\'=HYPERLINK("x")', "'@SUM(1)"]


def test_the_nbgrader_format_is_the_results_csv_unchanged(service, staff, course):
    given = staff["prof"].get("/assignments/hw1/gradebook.csv").text
    assert given == staff["prof"].get("/results.csv", params={"assignment": "hw1"}).text


def test_gradebook_exports_are_refused_to_students_graders_and_bad_options(service, staff, course):
    ada = service.client(service.token("ada"))
    for refused, status in (
        (ada.get("/assignments/hw1/gradebook.csv", params={"format": "canvas"}), 403),
        (staff["tess"].get("/assignments/hw1/gradebook.csv", params={"format": "canvas"}), 403),
        (staff["prof"].get("/assignments/hw9/gradebook.csv"), 400),
        (staff["prof"].get("/assignments/hw1/gradebook.csv", params={"format": "excel"}), 400),
        (
            staff["prof"].get("/assignments/hw1/gradebook.csv", params={"format": "canvas", "match": "name"}),
            400,
        ),
        (staff["prof"].get("/assignments/hw1/gradebook.csv", params={"title": "a\u202eb"}), 400),
        (staff["prof"].get("/assignments/hw1/gradebook.csv", params={"title": "x" * 201}), 400),
    ):
        assert refused.status_code == status and "error" in refused.json(), refused.text


def test_the_dashboard_links_to_the_exports_for_instructors_only(service, staff, course):
    prof = logged_in(service, service.token("prof2", "instructor"))
    page = prof.get("/dashboard").text
    for link in ("format=canvas", "format=moodle", "/dashboard/submissions.zip?assignment=hw1"):
        assert link in page
    canvas = prof.get("/dashboard/gradebook.csv", params={"assignment": "hw1", "format": "canvas"})
    assert canvas.status_code == 200 and rows(canvas.text)[0][0] == "Student"
    archive = prof.get("/dashboard/submissions.zip", params={"assignment": "hw1"})
    assert archive.status_code == 200 and archive.headers["content-type"] == "application/zip"
    student = logged_in(service, service.token("ada"))
    assert student.get("/dashboard/gradebook.csv", params={"format": "canvas"}).status_code == 403
    assert student.get("/dashboard/submissions.zip").status_code == 403


# --- zips ----------------------------------------------------------------------------------------


def test_the_assignment_zip_holds_each_students_counted_files_and_a_manifest(service, staff, course):
    cleo = service.client(service.token("cleo"))
    first = post(cleo, {"cleo.py": variant(BASE, "cleo1")}).json()["id"]
    wait_done(cleo, first)
    latest = post(cleo, {"my answers.py": variant(BASE, "cleo2"), "extra notes.py": b"# x\n"}).json()["id"]
    wait_done(cleo, latest)
    for client in (staff["tess"], staff["prof"]):
        answer = client.get("/assignments/hw1/submissions.zip")
        assert answer.status_code == 200, answer.text
        assert 'filename="hw1-submissions.zip"' in answer.headers["content-disposition"]
        archive = zipfile.ZipFile(io.BytesIO(answer.content))
        names = archive.namelist()
        assert "cleo/my_answers.py" in names and "cleo/extra_notes.py" in names
        assert "cleo/cleo.py" not in names
        assert archive.read("cleo/my_answers.py") == variant(BASE, "cleo2"), "the latest counts"
        assert "ada/answers.py" in names and not any(n.startswith(("nick/", "imogen/")) for n in names)
        for info in archive.infolist():
            assert stat.S_ISREG(info.external_attr >> 16) and ".." not in info.filename.split("/")
            assert not info.filename.startswith("/")
        manifest = {
            r["student"]: r for r in csv.DictReader(io.StringIO(archive.read("manifest.csv").decode()))
        }
        assert manifest["nick"]["which"] == "no submission" and manifest["imogen"]["submission_id"] == ""
        assert manifest["ada"]["which"] == "counted" and manifest["ada"]["submission_id"] == str(
            course["ada"]
        )
    ada = service.client(service.token("ada"))
    assert ada.get("/assignments/hw1/submissions.zip").status_code == 403
    assert staff["prof"].get("/assignments/hw9/submissions.zip").status_code == 400


def test_a_submission_zip_goes_to_its_owner_and_staff_only(service, staff, course):
    ada = service.client(service.token("ada"))
    bob = service.client(service.token("bob"))
    sid = course["ada"]
    for client in (ada, staff["tess"], staff["prof"]):
        answer = client.get(f"/submissions/{sid}/files.zip")
        assert answer.status_code == 200, answer.text
        archive = zipfile.ZipFile(io.BytesIO(answer.content))
        assert archive.namelist() == [f"ada-{sid}/answers.py"]
        assert archive.read(f"ada-{sid}/answers.py") == variant(BASE, "ada")
    for refused in (bob.get(f"/submissions/{sid}/files.zip"), ada.get("/submissions/999999/files.zip")):
        assert refused.status_code == 404 and "error" in refused.json()


def test_a_zip_over_the_limit_is_refused_before_it_is_written(service, course):
    engine = service.engine()
    try:
        with pytest.raises(zips.TooLarge, match="over the 10-byte limit"):
            zips.assignment_zip(engine, "hw1", limit=10)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc/passwd"),
        ("/abs/olute.py", "abs/olute.py"),
        ("C:\\Windows\\x.py", "C_/Windows/x.py"),
        ("a/./b/../c.py", "a/b/c.py"),
        (".bashrc", "bashrc"),
        ("..", "_"),
        ("name with spaces\n.py", "name_with_spaces_.py"),
        ("\u202efdp.exe", "_fdp.exe"),
    ],
)
def test_names_in_a_zip_are_rebuilt_from_safe_parts(name, expected):
    assert zips.safe_path(name) == expected


def test_names_taken_already_are_numbered_before_their_suffix():
    taken: set[str] = set()
    assert [zips._unique(p, taken) for p in ("d.v1/a.py", "d.v1/A.py", "d.v1/a.py", "d.v1/x")] == [
        "d.v1/a.py",
        "d.v1/A-2.py",
        "d.v1/a-3.py",
        "d.v1/x",
    ]
