"""Coordinator accounts for instances without an OIDC provider: names with salted argon2id hashes
(argon2-cffi) in the database, never in the repository, and a limit on failed logins.

Create an account on the server: ``python -m datastore.auth add "Anna Muster"`` (asks for the password).
Also: ``list``, ``passwort NAME`` (new password), ``sperren NAME``, ``entsperren NAME``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import getpass
import sys

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, and_, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from kita.errors import StoreError
from kita.i18n import N_, Message
from geo.layers import unsafe_characters

MIN_PASSWORD = 12
MAX_NAME = 80
MAX_FAILURES = 5  # failed logins per account name within WINDOW before it is locked for the rest of WINDOW
WINDOW = dt.timedelta(minutes=15)
HASHER = PasswordHasher()  # argon2id with the library's current parameters (salted)


@functools.cache
def _dummy_hash() -> str:
    """Compared against when a name is unknown (same timing); made on first use, not at import (0.1–0.4 s)."""
    return HASHER.hash("kein-konto-vorhanden")


metadata = MetaData()
accounts = Table(
    "konten", metadata,
    Column("name", String(MAX_NAME), primary_key=True),
    Column("passwort_hash", Text, nullable=False),
    Column("angelegt", DateTime, nullable=False),
    Column("aktiv", Boolean, nullable=False, default=True),
)
attempts = Table(
    "anmeldeversuche", metadata,
    Column("nr", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAX_NAME), nullable=False),
    Column("zeit", DateTime, nullable=False),
    Column("erfolgreich", Boolean, nullable=False),
)


class LoginError(Exception):
    """Login refused; says nothing about whether the name exists. Carries an ``i18n.Message`` like the other
    errors of geo/ (the page says it in the UI language); ``str()`` is the German text (for the command line)."""

    def __init__(self, key: str, **values):
        super().__init__(Message(key, **values))


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not 2 <= len(name) <= MAX_NAME:
        raise LoginError(N_("login_name_length"), max=MAX_NAME)
    if unsafe_characters(name) or any(c in name for c in "<>\"'`;"):
        raise LoginError(N_("login_name_characters"))
    return name


class Accounts:
    """Local accounts on the store's engine (tables from the store's migrations)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add(self, name: str, password: str) -> str:
        name = _clean_name(name)
        _check_password(password)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(accounts), {"name": name, "passwort_hash": HASHER.hash(password),
                                                "angelegt": dt.datetime.now(), "aktiv": True})
        except IntegrityError as exc:
            raise LoginError(N_("account_exists"), name=name) from exc
        return name

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        self._update(name, passwort_hash=HASHER.hash(password))

    def set_active(self, name: str, active: bool) -> None:
        self._update(name, aktiv=active)

    def _update(self, name: str, **values) -> None:
        with self.engine.begin() as conn:
            if conn.execute(update(accounts).where(accounts.c.name == name).values(**values)).rowcount != 1:
                raise LoginError(N_("account_unknown"), name=name)

    def names(self) -> list[tuple[str, bool]]:
        with self.engine.connect() as conn:
            return [(r.name, r.aktiv) for r in conn.execute(select(accounts.c.name, accounts.c.aktiv).order_by(accounts.c.name))]

    def failures(self, name: str, now: dt.datetime) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(attempts).where(and_(
                attempts.c.name == name[:MAX_NAME], attempts.c.erfolgreich.is_(False), attempts.c.zeit > now - WINDOW
            ))).scalar_one())

    def verify(self, name: str, password: str, now: dt.datetime | None = None) -> str:
        """The account's name when name and password match; LoginError otherwise. After MAX_FAILURES
        failures within WINDOW the name is locked until the window has passed (checked before the
        password, so guessing goes no further)."""
        now = now or dt.datetime.now()
        name = " ".join(str(name).split())[:MAX_NAME]
        try:
            if self.failures(name, now) >= MAX_FAILURES:
                raise LoginError(N_("login_locked"), minutes=WINDOW.seconds // 60)
            with self.engine.connect() as conn:
                row = conn.execute(select(accounts).where(accounts.c.name == name)).mappings().first()
            ok = False
            try:
                ok = HASHER.verify(row["passwort_hash"] if row else _dummy_hash(), str(password)) and row is not None
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
            ok = ok and bool(row["aktiv"])
            with self.engine.begin() as conn:
                conn.execute(insert(attempts), {"name": name, "zeit": now, "erfolgreich": ok})
                if ok and HASHER.check_needs_rehash(row["passwort_hash"]):
                    conn.execute(update(accounts).where(accounts.c.name == name)
                                 .values(passwort_hash=HASHER.hash(str(password))))
        except SQLAlchemyError as exc:
            raise StoreError(Message("login_store_unavailable", fehler=exc.__class__.__name__)) from exc
        if not ok:
            raise LoginError(N_("login_wrong"))
        return row["name"]


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise LoginError(N_("password_too_short"), min=MIN_PASSWORD)
    if len(password) > 1024:
        raise LoginError(N_("password_too_long"), max=1024)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != first:
        raise LoginError(N_("password_mismatch"))
    return first


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy import create_engine

    from datastore import migrate
    from kita.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m datastore.auth", description="Konten der Koordination verwalten")
    parser.add_argument("aktion", choices=["add", "list", "passwort", "sperren", "entsperren"])
    parser.add_argument("name", nargs="?", default="")
    parser.add_argument("--passwort-stdin", action="store_true", help="Passwort aus der ersten Eingabezeile lesen")
    args = parser.parse_args(argv)
    engine = create_engine(load_settings().database_url)
    migrate.upgrade(engine)
    store = Accounts(engine)
    try:
        if args.aktion == "list":
            for name, active in store.names():
                print(f"{name}{'' if active else ' (gesperrt)'}")
        elif not args.name:
            raise LoginError(N_("login_name_missing"))
        elif args.aktion == "add":
            print(f"Konto „{store.add(args.name, _read_password(args.passwort_stdin))}“ angelegt.")
        elif args.aktion == "passwort":
            store.set_password(args.name, _read_password(args.passwort_stdin))
            print("Passwort geändert.")
        else:
            store.set_active(args.name, args.aktion == "entsperren")
            print(f"Konto „{args.name}“ {'entsperrt' if args.aktion == 'entsperren' else 'gesperrt'}.")
    except LoginError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
