"""Hand in an assignment from its notebook: `from selfcheck import submit; submit()`.

Shipped next to the notebooks as handin.py (standard library only). It uploads the
assignment's notebooks from the current folder to the course's grading service, shows the
place in the queue, waits for the result and prints the score per exercise and the link to
the full feedback. Save your notebooks first (Ctrl-S): what is on disk is what is sent.

The service's address and your token come from the arguments, else $GRADER_URL and
$GRADER_TOKEN, else you are asked for the token (it is never printed or stored)."""

import getpass
import json
import os
import time
import urllib.error
import urllib.request
import uuid


def _multipart(fields, files):
    boundary = "handin-" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _call(request, timeout=30):
    """(status, JSON answer, headers); errors the service sends come back as answers too, and a
    service that cannot be reached is status None with the reason, never an exception."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read().decode("utf-8")), answer.headers
    except urllib.error.HTTPError as error:
        try:
            body = json.loads(error.read().decode("utf-8"))
        except (ValueError, OSError):
            body = {"error": error.reason}
        return error.code, body if isinstance(body, dict) else {"error": str(body)}, error.headers
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, {"error": str(reason) or type(error).__name__}, {}


def _refusal(status, answer, headers, url):
    """One line a student can act on, for each way a hand-in can be refused."""
    said = answer.get("error", "") if isinstance(answer, dict) else ""
    if status is None:
        return (
            f"Could not reach the grading service at {url} ({said}). Check the address "
            "(GRADER_URL) and your connection, then run submit() again."
        )
    if status == 401:
        return (
            "Your token was not accepted. Copy it again from your course page into GRADER_TOKEN "
            "(or pass token=...)."
        )
    if status == 429:
        wait = headers.get("Retry-After") or "a few"
        return f"Too many hand-ins for now: try again in {wait} s. Nothing was handed in."
    if status == 413:
        return f"Not handed in: too large ({said})."
    if status in (400, 403):  # a bad file or assignment; closed (the service says until when)
        return f"Not handed in: {said}."
    return f"Not handed in: the service answered {status} ({said}). Try again in a minute."


def submit(assignment, notebooks, url=None, token=None, folder=".", wait=True, timeout=300):
    """Upload `notebooks` (file names in `folder`) as one submission of `assignment`; returns
    the graded result (the same feedback as the web page), or None if it could not be sent."""
    url = (url or os.environ.get("GRADER_URL") or "").rstrip("/")
    if not url:
        print("Set GRADER_URL to the grading service's address (your course page gives it), or pass url=...")
        return None
    token = (token or os.environ.get("GRADER_TOKEN") or getpass.getpass("Your grading token: ")).strip()
    if not token:
        print("No token: set GRADER_TOKEN to the token from your course page, or pass token=...")
        return None
    files, missing = [], []
    for name in notebooks:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                files.append((name, handle.read()))
        else:
            missing.append(name)
    if missing:
        print(f"Not found here: {', '.join(missing)} (run submit() from the assignment's folder).")
        return None
    body, content_type = _multipart({"assignment": assignment}, files)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    request = urllib.request.Request(f"{url}/api/v1/submissions", data=body, headers=headers, method="POST")
    status, answer, reply_headers = _call(request)
    if status != 202 or not isinstance(answer.get("id"), int):
        print(_refusal(status, answer, reply_headers, url))
        return None
    submission = answer["id"]
    page = f"{url}/submissions/{submission}"
    if answer.get("duplicate"):
        print(f"These files were handed in before, as submission {submission}: {page}")
    else:
        print(f"Handed in as submission {submission}; place in the queue: {answer.get('position')}.")
    if not wait:
        return None
    deadline = time.monotonic() + timeout
    # ?wait=20: the service answers as soon as the result is stored (or after 20 s).
    looking = urllib.request.Request(f"{url}/api/v1/submissions/{submission}?wait=20", headers=headers)
    while time.monotonic() < deadline:
        asked = time.monotonic()
        status, state, _ = _call(looking)
        if status == 200 and state.get("status") in ("done", "failed"):
            break
        time.sleep(max(0.0, 1.0 - (time.monotonic() - asked)))  # at most one question a second
    else:
        print(f"Handed in; still being graded (or the service is out of reach). The result will be at {page}")
        return None
    if state["status"] == "failed":
        print(f"The grader could not grade it ({state.get('error')}); submitting again is free.")
        return state
    result = state["result"]
    print(f"Score: {state.get('final_score', result['score']):g} / {result['max_score']:g}")
    for exercise in result["exercises"]:
        if exercise["status"] != "manual":
            marks = f"{exercise['score']:>5g} / {exercise['max_score']:<3g}"
            print(f"  {exercise['id']:<26} {marks} {exercise['status']}")
    print(f"Feedback: {page}")
    return state
