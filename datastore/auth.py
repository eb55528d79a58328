"""Coordinator accounts for instances without an OIDC provider: names with salted argon2id hashes
(argon2-cffi) in the database, never in the repository; login throttling that holds across processes;
login sessions bound to a browser cookie (a random token, stored only as its SHA-256).

Throttling (OWASP ASVS V2.2): every try first reserves one unit from token buckets in the database, in one
transaction that locks the bucket rows (INSERT … ON CONFLICT DO NOTHING, then SELECT … FOR UPDATE), before
the argon2 hash is computed; a try that finds a bucket empty is refused without hashing. Buckets: per
client address (``CLIENT``) and per account name (``NAME``: a few tries, then one more every few minutes –
a delay, never a lock that an outsider could renew for good). A browser in which the name has logged in
before (a "known device" cookie, ``DEVICE``) uses its own bucket instead of those two, so guessing from
elsewhere cannot keep a coordinator out on her own device. At most ``HASH_SLOTS`` hashes run at once per
process (each takes ~64 MiB).

Create an account on the server: ``python -m datastore.auth add "Anna Muster"`` (asks for the password).
Also: ``list`` (with lock state and open sessions), ``passwort NAME`` (new password), ``sperren NAME``,
``entsperren NAME`` (lifts the block and any waiting time of the name).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import getpass
import hashlib
import ipaddress
import math
import secrets
import sys
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from datastore.schema import metadata
from geo.layers import unsafe_characters
from kita.errors import StoreError
from kita.i18n import N_, Message

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
MIN_STRENGTH = 3  # zxcvbn score 0–4: 3 = "safely unguessable" (about 10^8 guesses and more)
MAX_NAME = 80
HASHER = PasswordHasher()  # argon2id with the library's current parameters (salted)


@dataclass(frozen=True)
class Bucket:
    """A token bucket: ``capacity`` tries at once, then one more every ``refill`` (seconds)."""

    capacity: float
    refill: float


NAME = Bucket(capacity=5, refill=300)  # per account name: ≤ 8 tries per 15 minutes from unknown browsers
CLIENT = Bucket(capacity=10, refill=60)  # per client address (all names together)
DEVICE = Bucket(capacity=5, refill=60)  # per known browser of one name (instead of NAME and CLIENT)
WINDOW = dt.timedelta(seconds=NAME.refill * 3)  # the time in which at most NAME_LIMIT tries reach a name
NAME_LIMIT = int(NAME.capacity + WINDOW.total_seconds() // NAME.refill)

SESSION_HOURS = 8  # a login lasts a working day
TICKET_SECONDS = 60  # a login ticket (form → cookie route) is used at once
DEVICE_DAYS = 180
HASH_SLOTS = 2  # argon2 checks running at once per process; more tries wait (each hash takes ~64 MiB)
HASH_WAIT = 30.0  # seconds a try waits for a slot before it is refused as "busy"
_hash_slots = threading.BoundedSemaphore(HASH_SLOTS)


@functools.cache
def _dummy_hash() -> str:
    """Compared against when a name is unknown (same timing); made on first use, not at import (0.1–0.4 s)."""
    return HASHER.hash("kein-konto-vorhanden")


accounts = Table(
    "konten", metadata,
    Column("name", String(MAX_NAME), primary_key=True),
    Column("passwort_hash", Text, nullable=False),
    Column("angelegt", DateTime, nullable=False),
    Column("aktiv", Boolean, nullable=False, default=True),
    # name_key(name): unique, so "Anna Muster" and "anna muster" are one account (SQL lower() knows no Ä)
    Column("name_vergleich", String(MAX_NAME), nullable=False, unique=True),
)
attempts = Table(
    "anmeldeversuche", metadata,
    Column("nr", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAX_NAME), nullable=False),
    Column("zeit", DateTime, nullable=False),
    Column("erfolgreich", Boolean, nullable=False),
)
Index("ix_anmeldeversuche_name_zeit", attempts.c.name, attempts.c.zeit)
budgets = Table(
    "anmeldebudget", metadata,
    Column("schluessel", String(200), primary_key=True),  # "name:<casefolded name>", "client:<address>", …
    Column("guthaben", Float, nullable=False),
    Column("stand", DateTime, nullable=False),
)
tokens = Table(
    "anmeldesitzungen", metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the random token (the cookie holds the token)
    Column("art", String(10), nullable=False),  # TICKET, SESSION or KNOWN_DEVICE
    Column("name", String(MAX_NAME), nullable=False),
    Column("angelegt", DateTime, nullable=False),
    Column("ablauf", DateTime, nullable=False),
)
Index("ix_anmeldesitzungen_name", tokens.c.name)
TICKET, SESSION, KNOWN_DEVICE = "ticket", "sitzung", "geraet"


class LoginError(Exception):
    """Login refused; says nothing about whether the name exists. Carries an ``i18n.Message`` like the other
    errors of datastore/ (the page says it in the UI language); ``str()`` is the German text (command line)."""

    def __init__(self, key: str, **values):
        super().__init__(Message(key, **values))


def normal_name(name: str) -> str:
    """The name as stored and shown: inner whitespace collapsed, at most MAX_NAME characters."""
    return " ".join(str(name).split())[:MAX_NAME]


def name_key(name: str) -> str:
    """The name as compared: names differing only in case (or whitespace) are the same account."""
    return normal_name(name).casefold()[:MAX_NAME]  # casefold may lengthen ("ß" → "ss")


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not 2 <= len(name) <= MAX_NAME:
        raise LoginError(N_("login_name_length"), max=MAX_NAME)
    if unsafe_characters(name) or any(c in name for c in "<>\"'`;"):
        raise LoginError(N_("login_name_characters"))
    return name


def digest(token: str, bound_to: str = "") -> str:
    """What the database keeps of a token: its SHA-256 (with the browser cookie it is bound to, if any)."""
    text = f"{token}\n{bound_to}" if bound_to else str(token)
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def check_password(password: str, name: str = "") -> None:
    """A new password: MIN_PASSWORD characters and not guessable (zxcvbn score ≥ MIN_STRENGTH: no repeated
    letter, keyboard row, common word or password, date, or the name itself)."""
    from zxcvbn import zxcvbn

    if len(password) < MIN_PASSWORD or not password.strip():
        raise LoginError(N_("password_too_short"), min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise LoginError(N_("password_too_long"), max=MAX_PASSWORD)
    words = [name, *name.split(), "kita", "alzey", "worms", "sozialarbeit", "koordination", "kreisverwaltung"]
    # zxcvbn's time grows with the length; its own advice is to rate the first 100 characters.
    if zxcvbn(password[:100], user_inputs=[w for w in words if w])["score"] < MIN_STRENGTH:
        raise LoginError(N_("password_too_weak"))


@dataclass(frozen=True)
class AccountState:
    """One account as ``list`` shows it."""

    name: str
    active: bool
    wait_seconds: float  # until the name's next try is allowed from an unknown browser (0: none)
    sessions: int  # logins open now


class Accounts:
    """Local accounts on the store's engine (tables from the store's migrations). ``read_only``: every write
    (accounts, sessions, login tries) is refused; nothing is recorded."""

    def __init__(self, engine: Engine, read_only: bool = False):
        self.engine = engine
        self.read_only = read_only

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(Message("store_read_only"))

    # --- accounts ---------------------------------------------------------------------------------

    def add(self, name: str, password: str) -> str:
        self._writable()
        name = _clean_name(name)
        check_password(password, name)
        try:
            with self.engine.begin() as conn:
                if self._stored_name(conn, name) is not None:
                    raise LoginError(N_("account_exists"), name=name)
                conn.execute(insert(accounts), {"name": name, "name_vergleich": name_key(name),
                                                "passwort_hash": HASHER.hash(password),
                                                "angelegt": dt.datetime.now(), "aktiv": True})
        except IntegrityError as exc:  # the same name (any case) added at the same moment
            raise LoginError(N_("account_exists"), name=name) from exc
        return name

    def set_password(self, name: str, password: str) -> None:
        """A new password; every open login of the account ends."""
        self._writable()
        check_password(password, normal_name(name))
        self._update(name, passwort_hash=HASHER.hash(password))

    def set_active(self, name: str, active: bool) -> None:
        """``sperren`` (False: no login, every open login ends) or ``entsperren`` (True: also lifts the name's
        waiting time from failed tries)."""
        self._writable()
        self._update(name, aktiv=active)
        if active:
            self.unlock(name)

    def unlock(self, name: str) -> None:
        """Lift every waiting time of the name (its bucket and those of its known browsers)."""
        self._writable()
        key = name_key(name)
        with self.engine.begin() as conn:
            conn.execute(delete(budgets).where(or_(budgets.c.schluessel == f"name:{key}",
                                                   budgets.c.schluessel.startswith(f"geraet:{key}:", autoescape=True))))

    def _stored_name(self, conn: Connection, name: str) -> str | None:
        return conn.execute(select(accounts.c.name).where(accounts.c.name_vergleich == name_key(name))).scalar()

    def _update(self, name: str, **values) -> None:
        with self.engine.begin() as conn:
            stored = self._stored_name(conn, name)
            if stored is None:
                raise LoginError(N_("account_unknown"), name=normal_name(name))
            conn.execute(update(accounts).where(accounts.c.name == stored).values(**values))
            # A changed password or a block ends every login of the account, in every process, at its next run.
            conn.execute(delete(tokens).where(and_(tokens.c.name == stored, tokens.c.art != KNOWN_DEVICE)))

    def names(self) -> list[tuple[str, bool]]:
        with self.engine.connect() as conn:
            return [(r.name, r.aktiv) for r in conn.execute(select(accounts.c.name, accounts.c.aktiv).order_by(accounts.c.name))]

    def states(self, now: dt.datetime | None = None) -> list[AccountState]:
        now = now or dt.datetime.now()
        with self.engine.connect() as conn:
            rows = conn.execute(select(accounts.c.name, accounts.c.aktiv).order_by(accounts.c.name)).all()
            stored = {r.schluessel: r for r in conn.execute(select(budgets).where(budgets.c.schluessel.startswith("name:")))}
            open_sessions = dict(conn.execute(select(tokens.c.name, func.count()).where(and_(
                tokens.c.art == SESSION, tokens.c.ablauf > now)).group_by(tokens.c.name)).all())
        result = []
        for name, active in rows:
            bucket = stored.get(f"name:{name_key(name)}")
            credit = _credit(NAME, bucket.guthaben, bucket.stand, now) if bucket else NAME.capacity
            result.append(AccountState(name, bool(active), max(0.0, (1 - credit) * NAME.refill),
                                       int(open_sessions.get(name, 0))))
        return result

    # --- login ------------------------------------------------------------------------------------

    def verify(self, name: str, password: str, client: str = "", device: str = "",
               now: dt.datetime | None = None) -> str:
        """The account's name when name and password match; LoginError otherwise.

        Before the hash the try is reserved in the database (one transaction): from the browser's bucket when
        ``device`` is a known-device token of this name, else from the client's (``client``: its address) and
        the name's. A try that finds a bucket empty is refused (``login_locked``) without comparing anything,
        so parallel sessions and processes together get no more tries than the buckets hold."""
        self._writable()
        now = now or dt.datetime.now()
        name = normal_name(name)
        key = name_key(name)
        try:
            with self.engine.begin() as conn:
                known = bool(device) and self._known_device(conn, device, key, now)
                if known:
                    wait = _reserve(conn, f"geraet:{key}:{digest(device)}", DEVICE, now)
                else:
                    client_key = _client_key(client)
                    wait = max(_reserve(conn, client_key, CLIENT, now) if client_key else 0.0,
                               _reserve(conn, f"name:{key}", NAME, now))
                if secrets.randbelow(50) == 0:  # now and then: forget buckets untouched for a day
                    conn.execute(delete(budgets).where(budgets.c.stand < now - dt.timedelta(days=1)))
                    conn.execute(delete(tokens).where(tokens.c.ablauf < now))
            if wait > 0:
                raise LoginError(N_("login_locked"), minutes=max(1, math.ceil(wait / 60)))
            with self.engine.connect() as conn:
                row = conn.execute(select(accounts).where(accounts.c.name_vergleich == key)).mappings().first()
            ok = _compare(row["passwort_hash"] if row else _dummy_hash(), str(password)[:MAX_PASSWORD])
            ok = ok and row is not None and bool(row["aktiv"])
            with self.engine.begin() as conn:
                conn.execute(insert(attempts), {"name": name, "zeit": now, "erfolgreich": ok})
                if ok:  # she proved who she is: her name's tries are back
                    conn.execute(delete(budgets).where(budgets.c.schluessel == f"name:{key}"))
                    if HASHER.check_needs_rehash(row["passwort_hash"]):
                        conn.execute(update(accounts).where(accounts.c.name == row["name"])
                                     .values(passwort_hash=HASHER.hash(str(password))))
        except SQLAlchemyError as exc:
            raise StoreError(Message("login_store_unavailable")) from exc
        if not ok:
            raise LoginError(N_("login_wrong"))
        return row["name"]

    def _known_device(self, conn: Connection, device: str, key: str, now: dt.datetime) -> bool:
        row = conn.execute(select(tokens.c.name).where(and_(
            tokens.c.token_hash == digest(device), tokens.c.art == KNOWN_DEVICE, tokens.c.ablauf > now))).first()
        return row is not None and name_key(row.name) == key

    # --- sessions (cookie tokens) -----------------------------------------------------------------

    def issue_ticket(self, name: str, browser: str, now: dt.datetime | None = None) -> str:
        """A one-time ticket (valid TICKET_SECONDS) that the cookie route exchanges for a login cookie – only
        together with ``browser``, the pre-login cookie of the browser that sent name and password (so a ticket
        seen by someone else, e.g. over a taken-over session, is worthless to them)."""
        if not browser:
            raise LoginError(N_("login_reload"))
        return self._issue(name, TICKET, dt.timedelta(seconds=TICKET_SECONDS), now, bound_to=browser)

    def _issue(self, name: str, kind: str, lifetime: dt.timedelta, now: dt.datetime | None = None,
               conn: Connection | None = None, bound_to: str = "") -> str:
        self._writable()
        if conn is None:
            with self.engine.begin() as own:
                return self._issue(name, kind, lifetime, now, own, bound_to)
        now = now or dt.datetime.now()
        token = secrets.token_urlsafe(32)
        conn.execute(insert(tokens), {"token_hash": digest(token, bound_to), "art": kind, "name": name,
                                      "angelegt": now, "ablauf": now + lifetime})
        return token

    def exchange_ticket(self, ticket: str, browser: str, device: str = "",
                        now: dt.datetime | None = None) -> tuple[str, str] | None:
        """(login token, known-device token) for a valid ticket presented with the pre-login cookie it was
        issued for; the ticket is used up. None otherwise. The device token is ``device`` when that is already
        a known device of the name, else a new one."""
        self._writable()
        now = now or dt.datetime.now()
        if not browser:
            return None
        with self.engine.begin() as conn:
            row = conn.execute(select(tokens).where(and_(tokens.c.token_hash == digest(ticket, browser),
                                                         tokens.c.art == TICKET)).with_for_update()).first()
            if row is None:
                return None
            if conn.execute(delete(tokens).where(tokens.c.token_hash == row.token_hash)).rowcount != 1:
                return None  # used by a request racing this one
            if row.ablauf <= now or not self._active(conn, row.name):
                return None
            session = self._issue(row.name, SESSION, dt.timedelta(hours=SESSION_HOURS), now, conn)
            if not (device and self._known_device(conn, device, name_key(row.name), now)):
                device = self._issue(row.name, KNOWN_DEVICE, dt.timedelta(days=DEVICE_DAYS), now, conn)
        return session, device

    @staticmethod
    def _active(conn: Connection, name: str) -> bool:
        return bool(conn.execute(select(accounts.c.aktiv).where(accounts.c.name == name)).scalar())

    def session_name(self, token: str, now: dt.datetime | None = None) -> str | None:
        """The coordinator a login token belongs to while it is valid (not expired, not ended, account
        active); None otherwise. Asked on every run of a writing page."""
        if not token:
            return None
        now = now or dt.datetime.now()
        with self.engine.connect() as conn:
            return conn.execute(select(tokens.c.name).join(accounts, accounts.c.name == tokens.c.name).where(and_(
                tokens.c.token_hash == digest(token), tokens.c.art == SESSION, tokens.c.ablauf > now,
                accounts.c.aktiv.is_(True)))).scalar()

    def end_session(self, token: str) -> None:
        """Logout: the token is worthless from now on, in every process."""
        self._writable()
        with self.engine.begin() as conn:
            conn.execute(delete(tokens).where(and_(tokens.c.token_hash == digest(token), tokens.c.art == SESSION)))


def _client_key(client: str) -> str:
    """The client's bucket: its IPv4 address, or its IPv6 /64 network (one household or server holds a whole
    /64); any other text as given. Empty (no address known): no client bucket, the name's still counts."""
    client = str(client or "").strip()[:100]
    if not client:
        return ""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return f"client:{client}"
    if address.version == 6:
        if address.ipv4_mapped:
            return f"client:{address.ipv4_mapped}"
        return f"client:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"client:{address}"


def _credit(bucket: Bucket, stored: float, since: dt.datetime, now: dt.datetime) -> float:
    elapsed = max(0.0, (now - since).total_seconds())
    return min(bucket.capacity, stored + elapsed / bucket.refill)


def _reserve(conn: Connection, key: str, bucket: Bucket, now: dt.datetime) -> float:
    """Take one try from the bucket ``key`` inside the caller's transaction: 0 when taken, else the seconds
    until the next try. The row is created if missing and locked before it is read (PostgreSQL: FOR UPDATE;
    SQLite: the insert already holds the database's write lock), so concurrent tries queue here."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    conn.execute(upsert(budgets).values(schluessel=key, guthaben=bucket.capacity, stand=now)
                 .on_conflict_do_nothing(index_elements=["schluessel"]))
    row = conn.execute(select(budgets.c.guthaben, budgets.c.stand).where(budgets.c.schluessel == key)
                       .with_for_update()).one()
    credit = _credit(bucket, row.guthaben, row.stand, now)
    if credit < 1:
        return (1 - credit) * bucket.refill
    conn.execute(update(budgets).where(budgets.c.schluessel == key)
                 .values(guthaben=credit - 1, stand=max(now, row.stand)))
    return 0.0


def _compare(stored_hash: str, password: str) -> bool:
    """argon2 verification, at most HASH_SLOTS at once in this process."""
    if not _hash_slots.acquire(timeout=HASH_WAIT):
        raise LoginError(N_("login_busy"))
    try:
        return HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    finally:
        _hash_slots.release()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != first:
        raise LoginError(N_("password_mismatch"))
    return first


def _state_line(state: AccountState) -> str:
    parts = [] if state.active else ["gesperrt"]
    if state.wait_seconds > 0:
        parts.append(f"Wartezeit nach Fehlversuchen noch {math.ceil(state.wait_seconds / 60)} Min.")
    if state.sessions:
        parts.append(f"{state.sessions} offene Anmeldung(en)")
    return state.name + (f" ({'; '.join(parts)})" if parts else "")


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy import create_engine

    from datastore import migrate
    from kita.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m datastore.auth", description="Konten der Koordination verwalten")
    parser.add_argument("aktion", choices=["add", "list", "passwort", "sperren", "entsperren"])
    parser.add_argument("name", nargs="?", default="")
    parser.add_argument("--passwort-stdin", action="store_true", help="Passwort aus der ersten Eingabezeile lesen")
    args = parser.parse_args(argv)
    settings = load_settings()
    engine = create_engine(settings.database_url)
    if not settings.read_only:
        migrate.upgrade(engine)
    store = Accounts(engine, read_only=settings.read_only)
    try:
        if args.aktion == "list":
            for state in store.states():
                print(_state_line(state))
        elif not args.name:
            raise LoginError(N_("login_name_missing"))
        elif args.aktion == "add":
            print(f"Konto „{store.add(args.name, _read_password(args.passwort_stdin))}“ angelegt.")
        elif args.aktion == "passwort":
            store.set_password(args.name, _read_password(args.passwort_stdin))
            print("Passwort geändert; offene Anmeldungen des Kontos sind beendet.")
        else:
            store.set_active(args.name, args.aktion == "entsperren")
            print(f"Konto „{normal_name(args.name)}“ "
                  f"{'entsperrt (auch Wartezeiten aufgehoben)' if args.aktion == 'entsperren' else 'gesperrt; offene Anmeldungen beendet'}.")
    except (LoginError, StoreError) as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
