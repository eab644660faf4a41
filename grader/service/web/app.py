"""The ASGI application: the API under /api/v1 and the pages on one port, with a request-size
limit enforced while the body arrives (413 before a large upload is read), security headers on
every response, and errors as {"error": text} on the API: a bug of ours too, as a JSON 500
without a traceback (which goes to the log only)."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from grader.service.settings import ServiceSettings
from grader.service.wake import WakeChannel
from grader.service.web import api, course_api, exports_web, grading_pages, pages, upload_page
from grader.service.web.errors import ApiError
from grader.service.web.gate import UploadGate
from grader.service.web.waiting import Waiting

STATIC = Path(__file__).resolve().parent / "static"
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make browsers send `Origin: null`
    (b"cache-control", b"no-store"),
]
log = logging.getLogger("grader.service")
INTERNAL_ERROR = "the server failed on this request (a bug on our side, logged); try again later"


class Guard:
    """Pure ASGI middleware: refuses a body over the limit (by its Content-Length at once, or
    while it streams in), and adds the security headers."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(scope, send, self.max_bytes)
            return
        seen = 0
        started = False
        refused = False

        async def limited_receive() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes and not started:
                    # Answer 413 now; the application sees the client gone and stops reading.
                    refused = True
                    await _too_large(scope, send, self.max_bytes)
                    return {"type": "http.disconnect"}
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent; whatever the application answers is dropped
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except Exception:
            # The safety net: a bug of ours, never a client's doing (hostile input is answered
            # 400 where it is read). Logged once, with the traceback, for us; the client gets
            # a JSON 500 (FastAPI's handler below answers it when it can) without one.
            log.exception("request %s %s failed", scope.get("method"), scope.get("path", "")[:200])
            if not started and not refused:
                await _internal_error(scope, send)


async def _internal_error(scope: Scope, send: Send) -> None:
    response = JSONResponse({"error": INTERNAL_ERROR}, status_code=500)
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, nothing, send)


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    response = JSONResponse({"error": f"the request is larger than the {limit}-byte limit"}, status_code=413)
    response.headers["connection"] = "close"
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, nothing, send)


def create_app(settings: ServiceSettings, engine: Engine, channel: WakeChannel, waiting: Waiting) -> ASGIApp:
    app = FastAPI(title="grader", docs_url=None, redoc_url=None, openapi_url="/api/v1/openapi.json")
    app.state.settings = settings
    app.state.engine = engine
    app.state.channel = channel
    app.state.waiting = waiting
    app.state.gate = UploadGate()
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(course_api.router, prefix="/api/v1")
    app.include_router(pages.router)
    app.include_router(upload_page.router)
    app.include_router(exports_web.router)
    app.include_router(grading_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or exc.status_code != 404:
            return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)
        return pages.not_found(request)

    @app.exception_handler(Exception)
    async def _bug(_request: Request, _exc: Exception) -> JSONResponse:
        """Any other exception: JSON 500, no traceback in the body (Guard logs it)."""
        return JSONResponse({"error": INTERNAL_ERROR}, status_code=500)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()[:5])
        return JSONResponse({"error": f"invalid request ({where})"}, status_code=400)

    return Guard(app, settings.max_request_bytes)
