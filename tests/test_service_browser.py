"""The service in a real headless browser (Debian's chromium and chromedriver, installed by
scripts/system-packages.sh; nothing is downloaded): a student logs in, uploads the two
notebooks and reads the feedback as it arrives; the instructor watches the dashboard update
on its own and downloads the CSV. Set $GRADER_SCREENSHOTS to a folder to keep screenshots."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from servicekit import Service, module_service

from conftest import ROOT, SUBMISSIONS, mistake_source

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
NOTEBOOKS = ROOT / "examples" / "submitted" / "ada" / "hw1"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    yield from module_service(tmp_path_factory, "browser", workers=2)


@pytest.fixture
def driver(tmp_path):
    for program in (CHROMIUM, CHROMEDRIVER):
        assert shutil.which(program), f"{program} is missing: run scripts/system-packages.sh (as root)"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(tmp_path), "download.prompt_for_download": False}
    )
    browser = webdriver.Chrome(service=DriverService(CHROMEDRIVER), options=options)
    browser.implicitly_wait(0)
    yield browser
    browser.quit()


def shot(driver, name: str) -> None:
    folder = os.environ.get("GRADER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def wait_for(condition, seconds: float = 120.0, what: str = "the page"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:  # noqa: BLE001 - the page is changing under us
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} did not appear within {seconds} s")


def log_in(driver, service: Service, token: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(service.url + "/login")
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.ID, "login").click()


def test_a_student_uploads_notebooks_and_reads_the_feedback(service, driver):
    from selenium.webdriver.common.by import By

    log_in(driver, service, service.token("ada"))
    wait_for(lambda: driver.find_element(By.ID, "upload"), what="the upload form")
    shot(driver, "student-home")
    paths = "\n".join(str(p) for p in sorted(NOTEBOOKS.glob("*.ipynb")))
    driver.find_element(By.ID, "file").send_keys(paths)
    driver.find_element(By.ID, "submit").click()
    wait_for(lambda: "/submissions/" in driver.current_url, what="the submission page")
    status = driver.find_element(By.ID, "status-text").text
    assert status in ("queued", "running", "done")
    feedback = wait_for(lambda: driver.find_element(By.ID, "feedback"), what="the feedback")
    assert "92 / 92" in feedback.text and "Everything the grader checks is right" in feedback.text
    shot(driver, "student-feedback")
    driver.get(service.url + "/")
    history = driver.find_element(By.ID, "history").text
    assert "backprop.ipynb, gradient_descent.ipynb" in history and "counts" in history


def test_a_wrong_answer_shows_what_to_fix(service, driver):
    from selenium.webdriver.common.by import By

    log_in(driver, service, service.token("bob"))
    wait_for(lambda: driver.find_element(By.ID, "upload"), what="the upload form")
    source = mistake_source(SUBMISSIONS / "mistakes" / "eta_range_monotone_bound.py")
    path = Path(driver.capabilities.get("chrome", {}).get("userDataDir", "/tmp")) / "bob.py"
    path.write_text(source)
    driver.find_element(By.ID, "file").send_keys(str(path))
    driver.find_element(By.ID, "submit").click()
    feedback = wait_for(lambda: driver.find_element(By.ID, "feedback"), what="the feedback")
    assert "eta_range" in feedback.text and "monotone" in feedback.text
    shot(driver, "student-mistake")


def test_the_instructor_sees_the_dashboard_update_and_downloads_the_csv(service, driver, tmp_path):
    from selenium.webdriver.common.by import By

    log_in(driver, service, service.token("prof", "instructor"))
    wait_for(lambda: driver.find_element(By.ID, "class-hw1"), what="the dashboard")
    assert wait_for(
        lambda: int(driver.find_element(By.ID, "workers-alive").text) >= 2, what="two live workers"
    )
    carol = service.client(service.token("carol"))
    answer = carol.post("/submissions", files={"file": ("carol.py", (SUBMISSIONS / "base.py").read_bytes())})
    assert answer.status_code == 202
    row = wait_for(
        lambda: next(
            (
                r
                for r in driver.find_elements(By.CSS_SELECTOR, "#class-hw1 tbody tr")
                if r.text.startswith("carol")
            ),
            None,
        ),
        what="carol's row, without reloading",
    )
    assert "92 / 100" in row.text, "the written parts (8 points) count in the maximum"
    shot(driver, "instructor-dashboard")
    driver.find_element(By.ID, "csv-hw1").click()
    csv_file = wait_for(lambda: next(iter(tmp_path.glob("hw1-results*.csv")), None), 30, "the CSV download")
    text = csv_file.read_text()
    assert text.startswith("assignment,duedate,timestamp,student_id") and "\nhw1,,"
    assert any(line.split(",")[3] == "carol" for line in text.splitlines()[1:])
