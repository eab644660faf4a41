"""Reading a multipart upload: the `file` parts (one or more) and the `assignment` field, within
the intake's limits (the request as a whole is already capped by the app's Guard)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request

from grader.intake.files import Budget
from grader.service.web.errors import ApiError


@dataclass(frozen=True)
class UploadForm:
    assignment: str | None
    """The assignment named by the form; None (not named) lets the files' functions decide."""
    files: list[tuple[str, bytes]]
    fields: dict[str, str]


async def read_upload(request: Request, budget: Budget) -> UploadForm:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise ApiError(400, "send the files as multipart/form-data, each in a part named `file`")
    try:
        form = await request.form(max_files=budget.files, max_fields=20, max_part_size=64 << 10)
    except MultiPartException as exc:
        raise ApiError(400, f"a malformed upload: {exc.message}") from None
    except ClientDisconnect:
        raise ApiError(400, "the upload stopped before it was complete") from None
    try:
        files: list[tuple[str, bytes]] = []
        for part in form.getlist("file"):
            if not isinstance(part, UploadFile):
                raise ApiError(400, "`file` must be a file part, not a text field")
            files.append((part.filename or "", await part.read(budget.total_bytes + 1)))
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    finally:
        await form.close()
    assignment = fields.get("assignment", "").strip() or None
    return UploadForm(assignment, files, fields)
