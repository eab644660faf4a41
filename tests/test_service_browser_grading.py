"""A course's hand grading in a real headless browser (Chromium, as test_service_browser.py
starts it): a teaching assistant adds a rubric item and grades both written parts of three
students, one part by rubric item; a student reads the scores and comments; the instructor
grants an extension on the dashboard and downloads the CSV, which lists a student who never
submitted. Set $GRADER_SCREENSHOTS to a folder to keep screenshots."""

from __future__ import annotations

import pytest
from servicekit import module_service
from test_service_browser import driver, log_in, shot, wait_for
from test_service_grading_pages import hand_in

__all__ = ["driver"]  # the fixture, used by name

STUDENTS = ("amy", "ben", "cal")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    yield from module_service(tmp_path_factory, "browser-grading", workers=2)


@pytest.fixture(scope="module")
def handed_in(service) -> dict[str, int]:
    texts = {s: f"{s}: the chain is $\\frac{{\\partial E}}{{\\partial W_1}}$" for s in STUDENTS}
    return {student: hand_in(service, student, text, text) for student, text in texts.items()}


def replaced(driver, element) -> bool:
    """The page that held `element` is gone and its successor (after any redirects) has loaded:
    until then the old page's elements still answer, and a test would read the old page."""
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        return not element.tag_name  # an element's tag name is never empty: the page is still there
    except StaleElementReferenceException:
        pass
    loaded = driver.execute_script("return document.readyState") == "complete"
    return loaded and "/next" not in driver.current_url


def grade_part(driver, service, part: str, scores: list[str], rubric: bool) -> None:
    """From the part's list: the next ungraded answer, three times; the first by rubric item."""
    from selenium.webdriver.common.by import By

    driver.get(f"{service.url}/grading/hw1/{part}")
    driver.find_element(By.ID, "next").click()
    for k, score in enumerate(scores):
        wait_for(lambda: driver.find_element(By.ID, "answer"), what="an answer to grade")
        assert "the chain is" in driver.find_element(By.ID, "answer").text
        assert driver.find_elements(By.CSS_SELECTOR, "#answer math"), "the formula is MathML"
        if rubric and k == 0:
            driver.find_element(By.CSS_SELECTOR, "button.item").click()
            wait_for(
                lambda: driver.find_elements(By.CSS_SELECTOR, "button.item.applied"), what="the item applied"
            )
            assert "3.0 / 4.0" in driver.find_element(By.ID, "current").text
            shot(driver, "grader-rubric")
        else:
            field = driver.find_element(By.ID, "score-input")
            field.clear()
            field.send_keys(score)
        driver.find_element(By.ID, "comment").send_keys(f"comment {part} {k}")
        answered = driver.find_element(By.ID, "answer")
        driver.find_element(By.ID, "save-next").click()
        wait_for(lambda page=answered: replaced(driver, page), what="the next page")
    assert "3 of 3 graded" in driver.find_element(By.ID, "progress").text


def test_a_grader_grades_both_parts_of_three_students_and_a_student_reads_them(service, handed_in, driver):
    from selenium.webdriver.common.by import By

    log_in(driver, service, service.token("tess", "grader"))
    wait_for(lambda: driver.find_element(By.ID, "parts"), what="the grading index")
    assert "0 of 3 graded" in driver.find_element(By.ID, "part-hw1-backprop_written").text
    driver.get(f"{service.url}/grading/hw1/backprop_written")
    driver.find_element(By.ID, "item-text").send_keys("Both chains with shapes")
    driver.find_element(By.ID, "item-points").send_keys("3")
    driver.find_element(By.ID, "add-item").click()
    wait_for(lambda: "Both chains with shapes" in driver.find_element(By.ID, "rubric").text, what="the item")
    grade_part(driver, service, "backprop_written", ["3", "4", "2"], rubric=True)
    grade_part(driver, service, "gradient_descent_written", ["1", "2.5", "4"], rubric=False)
    shot(driver, "grader-list")
    rows = driver.find_element(By.ID, "answers").text
    assert rows.count("tess") == 3
    driver.delete_all_cookies()
    a_student_reads_the_scores_and_comments(service, handed_in, driver)


def a_student_reads_the_scores_and_comments(service, handed_in, driver):
    from selenium.webdriver.common.by import By

    log_in(driver, service, service.token("amy"))
    wait_for(lambda: driver.find_element(By.ID, "upload"), what="the student's page")
    driver.get(f"{service.url}/submissions/{handed_in['amy']}")
    manual = wait_for(lambda: driver.find_element(By.ID, "manual"), what="the hand-graded scores")
    text = manual.text
    assert "awaiting grading" not in text and "None" not in driver.find_element(By.TAG_NAME, "main").text
    assert "comment backprop_written" in text and "comment gradient_descent_written" in text
    assert "Both chains with shapes" in text
    shot(driver, "student-manual")
    driver.find_element(By.CSS_SELECTOR, "a.notebook").click()
    notebook = wait_for(lambda: driver.find_element(By.ID, "notebook"), what="the notebook view")
    assert "def forward" in notebook.text and "amy: the chain is" in notebook.text


def test_the_instructor_grants_an_extension_and_downloads_the_csv(service, handed_in, driver, tmp_path):
    from selenium.webdriver.common.by import By

    service.token("nina")  # on the roster, never submits
    class_deadline = {"deadline": 1.9e9}  # 2030-03-17: an extension only ever adds time to the class's
    assert (
        service.client(service.token("prof", "instructor"))
        .put("/assignments/hw1", json=class_deadline)
        .status_code
        == 200
    )
    log_in(driver, service, service.token("prof", "instructor"))
    form = wait_for(lambda: driver.find_element(By.ID, "extension-hw1"), what="the extension form")
    form.find_element(By.NAME, "student").send_keys("nina")
    form.find_element(By.NAME, "deadline").send_keys("2031-01-02 03:04")
    form.find_element(By.NAME, "late_days").send_keys("2")
    form.find_element(By.TAG_NAME, "button").click()
    granted = "nina may hand in hw1 until 2031-01-02 03:04 UTC"
    wait_for(lambda: granted in driver.find_element(By.TAG_NAME, "main").text, what="the answer")
    driver.get(service.url + "/dashboard")
    wait_for(lambda: driver.find_element(By.ID, "csv-hw1"), what="the dashboard").click()
    csv_file = wait_for(lambda: next(iter(tmp_path.glob("hw1-results*.csv")), None), 30, "the CSV download")
    rows = [line.split(",") for line in csv_file.read_text().splitlines()]
    assert {"amy", "ben", "cal", "nina"} <= {r[3] for r in rows[1:]}
