"""Keeping credentials out of the logs. A client may put a token in a URL (`?token=...`, a
link pasted from somewhere); uvicorn's access log writes every request's path and query string,
so the access log gets a filter that redacts, before anything is written, every query parameter
named like a credential and every value or path segment shaped like a token (accounts.py makes
`gt_` + 43 URL-safe characters; sessions and CSRF tokens are 43 URL-safe characters)."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, unquote_plus

REDACTED = "[redacted]"
SECRET_NAMES = ("token", "secret", "password", "passwd", "session", "csrf", "auth", "key", "cookie")
"""A query parameter whose name holds one of these (`token`, `access_token`, `api_key`, ...)
has its value redacted whatever it looks like."""
TOKEN_SHAPED = re.compile(r"gt_[A-Za-z0-9_-]{8,}|[A-Za-z0-9_-]{32,}")
"""A bearer token, or any run of 32 URL-safe characters (a session cookie, a CSRF token, a
secret from elsewhere): nothing the service's own URLs hold."""


def _secret_value(text: str) -> bool:
    return TOKEN_SHAPED.search(text) is not None


def redact_target(target: str) -> str:
    """A request target (path and query) with credentials replaced by [redacted]; the rest, and
    the parameters' names, kept so the request can still be read in the log."""
    path, question, query = target.partition("?")
    path = "/".join(REDACTED if _secret_value(unquote(part)) else part for part in path.split("/"))
    if not question:
        return path
    pairs = []
    for pair in query.split("&"):
        name, equals, value = pair.partition("=")
        plain = unquote_plus(name)
        if _secret_value(plain):
            pairs.append(REDACTED)
        elif any(word in plain.lower() for word in SECRET_NAMES) or _secret_value(unquote_plus(value)):
            pairs.append(f"{name}={REDACTED}")
        else:
            pairs.append(pair)
    return f"{path}?{'&'.join(pairs)}"


class RedactTargets(logging.Filter):
    """For uvicorn's access logger, whose records carry (client, method, target, http version,
    status) as their arguments: the target is redacted; other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], redact_target(args[2]), args[3], args[4])
        return True


def redact_access_log() -> None:
    """Install the filter on uvicorn's access logger (after uvicorn has configured logging)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTargets) for f in logger.filters):
        logger.addFilter(RedactTargets())
