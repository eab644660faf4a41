"""A class list (CSV) into accounts, each with a token. Ids are checked like every account id;
names and e-mails are kept as text (always escaped where shown). Students who already hold a
live token keep it unless the instructor asks to reissue."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import Engine, select

from grader.intake.files import printable
from grader.service.accounts import AccountError, ensure_account, issue_token, revoke_tokens
from grader.service.store.database import writing
from grader.service.store.schema import tokens

MAX_BYTES = 10 << 20


class RosterError(Exception):
    pass


def read_roster(path: Path) -> list[dict[str, str]]:
    if path.stat().st_size > MAX_BYTES:
        raise RosterError(f"{path}: larger than {MAX_BYTES} bytes")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {(f or "").strip().lower() for f in reader.fieldnames or ()}
    key = "id" if "id" in fields else "student_id" if "student_id" in fields else None
    if key is None:
        raise RosterError(f"{path}: needs an `id` (or `student_id`) column; found {sorted(fields)}")
    rows = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        if not row.get(key):
            continue
        row["id"] = row[key]
        row["_line"] = str(number)
        rows.append(row)
    return rows


def import_roster(
    engine: Engine, path: Path, reissue: bool = False
) -> tuple[list[tuple[str, str]], list[str]]:
    """Returns (id, token) for each token issued, and the ids that kept their token."""
    rows = read_roster(path)
    issued, kept = [], []
    for row in rows:
        if reissue:
            revoke_tokens(engine, row["id"])
        with writing(engine) as connection:
            try:
                ensure_account(
                    connection,
                    row["id"],
                    "student",
                    row.get("first_name", "")[:200],
                    row.get("last_name", "")[:200],
                    row.get("email", "")[:200],
                )
            except AccountError as exc:
                raise RosterError(f"{path}, line {row['_line']}: {printable(str(exc))}") from None
            live = connection.execute(
                select(tokens.c.id).where(tokens.c.account_id == row["id"], tokens.c.revoked_at.is_(None))
            ).first()
            if live is not None:
                kept.append(row["id"])
                continue
            issued.append((row["id"], issue_token(connection, row["id"])))
    return issued, kept
