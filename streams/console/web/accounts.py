"""Officer accounts: a country, an agency and an argon2 password hash per officer, in one SQLite file.

argon2-cffi (the reference Argon2 implementation, RFC 9106 defaults) hashes and verifies; SQLite keeps
the file small, transactional and readable by the standard library alone. Managed with
`borderwatch console user ...`.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from schemas.watchlist import MEKONG_COUNTRIES

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
MIN_PASSWORD = 12

SCHEMA = """
CREATE TABLE IF NOT EXISTS officers (
    username TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    agency TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class Officer:
    username: str
    country: str
    agency: str


class AccountError(ValueError):
    """A clear reason an account cannot be created or changed."""


class Accounts:
    def __init__(self, path: Path, hasher: PasswordHasher | None = None) -> None:
        self.path = path
        self._hasher = hasher or PasswordHasher()
        # verified against when the username is unknown, so a miss costs what a wrong password costs
        self._dummy = self._hasher.hash("not a password of anyone")

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as db:
            db.execute(SCHEMA)
            with db:  # one transaction
                yield db
        self.path.chmod(0o600)  # password hashes: readable by the console's user only

    def add(self, username: str, country: str, agency: str, password: str) -> Officer:
        username, country, agency = username.strip().lower(), country.strip().upper(), agency.strip()
        if not USERNAME.match(username):
            raise AccountError("username: 2-63 characters, lower-case letters, digits, '.', '_' or '-'")
        if country not in MEKONG_COUNTRIES:
            raise AccountError(f"country must be one of {', '.join(MEKONG_COUNTRIES)}")
        if not agency:
            raise AccountError("agency must not be empty")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"password must have at least {MIN_PASSWORD} characters")
        with self._db() as db:
            try:
                db.execute("INSERT INTO officers VALUES (?, ?, ?, ?, ?)",
                           (username, country, agency, self._hasher.hash(password),
                            dt.datetime.now(dt.UTC).isoformat()))
            except sqlite3.IntegrityError:
                raise AccountError(f"officer {username!r} already exists") from None
        return Officer(username, country, agency)

    def set_password(self, username: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"password must have at least {MIN_PASSWORD} characters")
        with self._db() as db:
            if db.execute("UPDATE officers SET password_hash = ? WHERE username = ?",
                          (self._hasher.hash(password), username)).rowcount != 1:
                raise AccountError(f"no officer {username!r}")

    def remove(self, username: str) -> bool:
        with self._db() as db:
            return db.execute("DELETE FROM officers WHERE username = ?", (username,)).rowcount == 1

    def get(self, username: str) -> Officer | None:
        with self._db() as db:
            row = db.execute("SELECT username, country, agency FROM officers WHERE username = ?",
                             (username,)).fetchone()
        return Officer(*row) if row else None

    def all(self) -> list[Officer]:
        with self._db() as db:
            rows = db.execute("SELECT username, country, agency FROM officers ORDER BY country, username")
            return [Officer(*row) for row in rows.fetchall()]

    def verify(self, username: str, password: str) -> Officer | None:
        """The officer if the password is theirs, else None (same work either way). Slow on purpose:
        call it off the event loop."""
        username = username.strip().lower()
        with self._db() as db:
            row = db.execute("SELECT username, country, agency, password_hash FROM officers WHERE username = ?",
                             (username,)).fetchone()
        try:
            self._hasher.verify(row[3] if row else self._dummy, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if self._hasher.check_needs_rehash(row[3]):
            self.set_password(username, password)
        return Officer(row[0], row[1], row[2])
