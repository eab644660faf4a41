"""A class list (CSV) into accounts, each with a token. Ids are checked like every account id;
names and e-mails are kept as text (always escaped where shown). Students who already hold a
live token keep it unless the instructor asks to reissue: tokens are stored only as hashes, so
a token replaced without being asked for is a student locked out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import Engine, select

from grader.intake.files import printable
from grader.service.accounts import AccountError, check_id, ensure_account, issue_token, revoke_in
from grader.service.store.database import writing
from grader.service.store.schema import tokens

MAX_BYTES = 10 << 20


class RosterError(Exception):
    pass


COLUMNS = ("id", "first_name", "last_name", "email")
"""A roster without a header row: these columns, in this order (only the first is needed)."""
HEADER_NAMES = {"id", "student_id", "first_name", "last_name", "email"}


def read_roster(path: Path) -> list[dict[str, str]]:
    """The students of a class list, with or without a header row. The first row is a header
    when one of its cells is a column name we know (`id` or `student_id`, `first_name`,
    `last_name`, `email`); otherwise every row is a student, in the columns of COLUMNS. Ids are
    checked here, so a bad line stops the import before anything is stored."""
    if path.stat().st_size > MAX_BYTES:
        raise RosterError(f"{path}: larger than {MAX_BYTES} bytes")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not UTF-8 text") from None
    try:
        lines = list(csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"))))
    except csv.Error as exc:  # a cell over the csv module's limit, a stray quote
        raise RosterError(f"{path}: not a CSV file we can read ({exc})") from None
    first = next((row for row in lines if any(cell.strip() for cell in row)), [])
    names = [cell.strip().lower() for cell in first]
    if HEADER_NAMES & set(names):
        key = "id" if "id" in names else "student_id" if "student_id" in names else None
        if key is None:
            raise RosterError(f"{path}: needs an `id` (or `student_id`) column; found {sorted(set(names))}")
        start = lines.index(first) + 1
    else:
        names, key, start = list(COLUMNS), "id", 0
    rows = []
    for number, cells in enumerate(lines[start:], start=start + 1):
        row = {name: cell.strip() for name, cell in zip(names, cells, strict=False) if name}
        if not row.get(key):
            continue
        row["id"] = row[key]
        try:
            check_id(row["id"])
        except AccountError as exc:
            raise RosterError(f"{path}, line {number}: {printable(str(exc))}") from None
        row["_line"] = str(number)
        rows.append(row)
    return rows


def import_roster(
    engine: Engine, path: Path, reissue: bool = False
) -> tuple[list[tuple[str, str]], list[str]]:
    """Returns (id, token) for each token issued, and the ids that kept their token. All in one
    transaction: a line that fails (an id that belongs to an instructor, say) stores nothing,
    so no student is left holding a token that was never printed."""
    rows = read_roster(path)
    issued: list[tuple[str, str]] = []
    kept: list[str] = []
    seen: set[str] = set()
    with writing(engine) as connection:
        for row in rows:
            if row["id"] in seen:
                continue
            seen.add(row["id"])
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
            live = tokens.c.account_id == row["id"], tokens.c.revoked_at.is_(None)
            if reissue:
                revoke_in(connection, row["id"])
            elif connection.execute(select(tokens.c.id).where(*live)).first() is not None:
                kept.append(row["id"])
                continue
            issued.append((row["id"], issue_token(connection, row["id"])))
    return issued, kept
