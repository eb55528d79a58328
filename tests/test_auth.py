"""Local coordinator accounts: salted argon2 hashes, password rules, names unique regardless of case, throttling
that holds under parallel tries (threads, two engines, two processes on PostgreSQL), login tokens, CLI."""

import datetime as dt
import io
import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select

from datastore import auth
from datastore.auth import Accounts, LoginError
from datastore.store import Store
from kita.errors import StoreError
from tests.conftest import BROWSER

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "ein langes Passwort 1"
START = dt.datetime(2026, 3, 1, 10, 0)


@pytest.fixture
def accounts(any_db_url, reference):
    store = Store(any_db_url, gemeinden=reference.gemeinden)
    yield Accounts(store.engine)
    store.close()


@pytest.fixture
def pg_accounts(postgres_url, reference):
    store = Store(postgres_url, gemeinden=reference.gemeinden)
    yield Accounts(store.engine)
    store.close()


def hasher(before, after=lambda: None) -> PasswordHasher:
    """The module's hasher with hooks around each verification (counting, overlap)."""

    class Hooked(PasswordHasher):
        def verify(self, stored, password):
            before()
            try:
                return super().verify(stored, password)
            finally:
                after()

    return Hooked()


def recorded(accounts: Accounts, ok: bool | None = None) -> int:
    query = select(func.count()).select_from(auth.attempts)
    if ok is not None:
        query = query.where(auth.attempts.c.erfolgreich.is_(ok))
    with accounts.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_hash_is_salted_argon2_and_password_checked(accounts):
    accounts.add("Anna Muster", PASSWORD)
    accounts.add("Berta Muster", PASSWORD)
    with accounts.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(select(auth.accounts.c.passwort_hash))]
    assert all(h.startswith("$argon2id$") for h in hashes) and hashes[0] != hashes[1]  # same password, other salt
    assert "ein langes" not in "".join(hashes)
    assert accounts.verify("  Anna   Muster ", PASSWORD) == "Anna Muster"
    assert accounts.verify("anna muster", PASSWORD, client="c2") == "Anna Muster"  # the name in any case
    with pytest.raises(LoginError, match="Name oder Passwort ist falsch"):
        accounts.verify("Anna Muster", "falsch")
    with pytest.raises(LoginError, match="Name oder Passwort ist falsch"):  # same text for an unknown name
        accounts.verify("Niemand", PASSWORD)


@pytest.mark.parametrize("password", [" " * 12, "a" * 12, "aaaaaaaaaaaaaaaaaaaa", "passwort1234", "123456789012",
                                      "qwertzuiop12", "Anna Muster 2024", "annamusterannamuster", "Password2024!",
                                      "iloveyou1234"])
def test_trivial_and_common_passwords_are_refused(accounts, password):
    with pytest.raises(LoginError):
        accounts.add("Anna Muster", password)
    assert accounts.names() == []


def test_rules_for_new_accounts(accounts):
    with pytest.raises(LoginError, match="mindestens 12"):
        accounts.add("Anna", "kurz")
    with pytest.raises(LoginError, match="unzulässige"):
        accounts.add("Anna\u202eevil", PASSWORD)
    accounts.add("Anna", PASSWORD)
    with pytest.raises(LoginError, match="gibt es schon"):
        accounts.add("Anna", "ein anderes Passwort 2")


@pytest.mark.parametrize("first,second", [("Anna Muster", "anna muster"), ("Anna Muster", "ANNA  MUSTER"),
                                          ("Änne Groß", "änne gross"), ("Änne Groß", "ÄNNE GROSS")])
def test_names_are_unique_regardless_of_case(accounts, first, second):
    accounts.add(first, PASSWORD)
    with pytest.raises(LoginError, match="gibt es schon"):
        accounts.add(second, "ein anderes Passwort 2")
    assert accounts.names() == [(first, True)]
    assert accounts.verify(second, PASSWORD) == first


def test_unique_key_is_in_the_database_too(accounts):
    """Two processes adding 'Anna' and 'ANNA' at once: the database refuses the second (not only the check)."""
    accounts.add("Anna Muster", PASSWORD)
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), accounts.engine.begin() as conn:
        conn.execute(insert(auth.accounts), {"name": "ANNA MUSTER", "name_vergleich": "anna muster",
                                             "passwort_hash": "x", "angelegt": START, "aktiv": True})


def test_migration_keeps_older_accounts_that_differ_in_case_but_blocks_the_younger(tmp_path, reference):
    from sqlalchemy import text

    from datastore import migrate

    url = f"sqlite:///{tmp_path / 'alt.sqlite'}"
    engine = create_engine(url)
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "0002")
        conn.execute(text("INSERT INTO konten VALUES ('Anna Muster', 'h1', '2024-01-01', 1), "
                          "('anna muster', 'h2', '2024-02-01', 1), ('Berta', 'h3', '2024-03-01', 1)"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT name, aktiv FROM konten")).all())
    assert rows == {"Anna Muster": 1, "anna muster": 0, "Berta": 1}
    engine.dispose()


def test_wrong_tries_use_up_the_names_budget_then_even_the_right_password_waits(accounts):
    accounts.add("Anna", PASSWORD)
    for n in range(int(auth.NAME.capacity)):  # each from another address: the name's budget is what counts
        with pytest.raises(LoginError, match="falsch"):
            accounts.verify("Anna", f"rate {n}", client=f"10.0.0.{n}", now=START)
    hashed = recorded(accounts)
    with pytest.raises(LoginError, match="Zu viele Anmeldeversuche"):
        accounts.verify("ANNA", PASSWORD, client="10.0.1.1", now=START + dt.timedelta(seconds=10))
    assert recorded(accounts) == hashed  # refused before any hash: nothing compared, nothing recorded
    # A delay, not a lock: one more try per NAME.refill
    later = START + dt.timedelta(seconds=auth.NAME.refill + 1)
    assert accounts.verify("Anna", PASSWORD, client="10.0.1.2", now=later) == "Anna"


def test_names_budget_over_the_window_is_a_handful(accounts):
    """Tries spread evenly over WINDOW from ever new addresses: at most NAME_LIMIT reach the hash."""
    accounts.add("Anna", PASSWORD)
    steps = 200
    for n in range(steps):
        try:
            accounts.verify("Anna", "falsch falsch", client=f"c{n}", now=START + auth.WINDOW * n / steps)
        except LoginError:
            pass
    assert recorded(accounts) <= auth.NAME_LIMIT <= 10


def test_one_client_cannot_guess_across_many_names(accounts):
    for n in range(int(auth.CLIENT.capacity)):
        with pytest.raises(LoginError, match="falsch"):
            accounts.verify(f"Name {n}", "falsch falsch", client="203.0.113.9", now=START)
    with pytest.raises(LoginError, match="Zu viele"):
        accounts.verify("Noch einer", "falsch falsch", client="203.0.113.9", now=START)
    with pytest.raises(LoginError, match="falsch"):  # another address is not affected
        accounts.verify("Noch einer", "falsch falsch", client="203.0.113.10", now=START)


def test_one_ipv6_network_is_one_client(accounts):
    for n in range(int(auth.CLIENT.capacity)):  # a new address of the same /64 for every try
        with pytest.raises(LoginError, match="falsch"):
            accounts.verify(f"Name {n}", "falsch falsch", client=f"2001:db8:1:2::{n + 1:x}", now=START)
    with pytest.raises(LoginError, match="Zu viele"):
        accounts.verify("Noch einer", "falsch falsch", client="2001:db8:1:2:ffff::1", now=START)
    with pytest.raises(LoginError, match="falsch"):
        accounts.verify("Noch einer", "falsch falsch", client="2001:db8:1:3::1", now=START)


def test_outsider_cannot_keep_her_out_of_her_known_browser(accounts):
    accounts.add("Anna", PASSWORD)
    ticket = accounts.issue_ticket("Anna", BROWSER, now=START)
    _, device = accounts.exchange_ticket(ticket, BROWSER, now=START)
    for n in range(30):  # someone guesses her (public) name from many addresses
        try:
            accounts.verify("Anna", "falsch falsch", client=f"198.51.100.{n}", now=START)
        except LoginError:
            pass
    with pytest.raises(LoginError, match="Zu viele"):
        accounts.verify("Anna", PASSWORD, client="192.0.2.1", now=START)
    assert accounts.verify("Anna", PASSWORD, client="192.0.2.1", device=device, now=START) == "Anna"
    # A known-device token of another name is no key for this one
    accounts.add("Berta", PASSWORD)
    for n in range(10):
        try:
            accounts.verify("Berta", "falsch falsch", client=f"198.51.101.{n}", now=START)
        except LoginError:
            pass
    with pytest.raises(LoginError, match="Zu viele"):
        accounts.verify("Berta", PASSWORD, device=device, now=START)


def test_entsperren_lifts_every_wait_and_list_shows_it(db_url, reference, monkeypatch, capsys):
    monkeypatch.setenv("KITA_DATABASE_URL", db_url)
    monkeypatch.delenv("KITA_READ_ONLY", raising=False)
    store = Store(db_url, gemeinden=reference.gemeinden)
    accounts = Accounts(store.engine)
    accounts.add("Anna Muster", PASSWORD)
    for n in range(10):
        try:
            accounts.verify("Anna Muster", "falsch falsch", client=f"c{n}")
        except LoginError:
            pass
    assert auth.main(["list"]) == 0
    assert "Wartezeit" in capsys.readouterr().out
    with pytest.raises(LoginError, match="Zu viele"):
        accounts.verify("Anna Muster", PASSWORD, client="x")
    assert auth.main(["entsperren", "anna muster"]) == 0
    assert auth.main(["list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Anna Muster"
    assert accounts.verify("Anna Muster", PASSWORD, client="x") == "Anna Muster"
    assert auth.main(["sperren", "Anna Muster"]) == 0
    assert auth.main(["list"]) == 0
    assert "gesperrt" in capsys.readouterr().out
    store.close()


def test_locked_account_cannot_log_in(accounts):
    accounts.add("Anna", PASSWORD)
    accounts.set_active("Anna", False)
    with pytest.raises(LoginError, match="falsch"):
        accounts.verify("Anna", PASSWORD)


def _burst(accounts_objects: list[Accounts], tries: int, right_at: set[int]) -> list[str]:
    """``tries`` logins for one name at once (threads released together), spread over the given Accounts
    (each with its own engine: a process of its own as far as the database can tell)."""
    barrier = threading.Barrier(tries)

    def attempt(n: int) -> str:
        barrier.wait()
        try:
            return accounts_objects[n % len(accounts_objects)].verify(
                "Anna Muster", PASSWORD if n in right_at else f"falsch {n}", client=f"10.1.{n}.1")
        except LoginError as exc:
            return str(exc)

    with ThreadPoolExecutor(tries) as pool:
        return list(pool.map(attempt, range(tries)))


def test_parallel_tries_from_two_engines_get_no_more_than_the_budget(pg_accounts, postgres_url, monkeypatch):
    pg_accounts.add("Anna Muster", PASSWORD)
    checks = []
    monkeypatch.setattr(auth, "HASHER", hasher(lambda: checks.append(1)))
    other_engine = create_engine(postgres_url, pool_size=15)
    first = Accounts(create_engine(postgres_url, pool_size=15))
    second = Accounts(other_engine)
    results = _burst([first, second], 24, right_at=set())
    assert len(checks) <= auth.NAME.capacity
    assert recorded(pg_accounts) == len(checks)
    assert sum("Zu viele" in r for r in results) >= 24 - auth.NAME.capacity
    # The budget is used: the right password now is refused too, from either "process"
    for accounts in (first, second):
        with pytest.raises(LoginError, match="Zu viele"):
            accounts.verify("Anna Muster", PASSWORD, client="10.9.9.9")
    assert len(checks) <= auth.NAME.capacity
    first.engine.dispose()
    other_engine.dispose()


def test_right_password_inside_a_burst_is_refused_once_the_budget_is_used(pg_accounts, postgres_url):
    pg_accounts.add("Anna Muster", PASSWORD)
    engines = [create_engine(postgres_url, pool_size=15) for _ in range(2)]
    results = _burst([Accounts(e) for e in engines], 30, right_at={7, 15, 22, 29})
    hashed = recorded(pg_accounts)
    assert hashed <= auth.NAME.capacity
    # A right password got through only if its try was one of the few reserved ones
    assert results.count("Anna Muster") == recorded(pg_accounts, ok=True) <= 4
    assert sum("Zu viele" in r for r in results) == 30 - hashed
    # Each right password was either among the reserved tries (and logged in) or refused before the hash
    assert all(results[n] == "Anna Muster" or "Zu viele" in results[n] for n in (7, 15, 22, 29))
    for engine in engines:
        engine.dispose()


TWO_PROCESS_SCRIPT = """
import json, sys, threading
from sqlalchemy import create_engine
from datastore.auth import Accounts, LoginError
url, start_at, tag = sys.argv[1], float(sys.argv[2]), sys.argv[3]
accounts = Accounts(create_engine(url, pool_size=12))
results = []
def attempt(n):
    import time
    time.sleep(max(0.0, start_at - time.time()))
    try:
        results.append(accounts.verify("Anna Muster", "falsch %s" % n, client="10.%s.%d.1" % (tag, n)))
    except LoginError as exc:
        results.append(str(exc))
threads = [threading.Thread(target=attempt, args=(n,)) for n in range(12)]
[t.start() for t in threads]; [t.join() for t in threads]
print(json.dumps(results))
"""


def test_two_real_processes_with_twelve_tries_each(pg_accounts, postgres_url):
    """24 tries for one name from two app-like processes at the same moment: the database lets only the
    name's budget through to the hash; the rest is refused before it."""
    pg_accounts.add("Anna Muster", PASSWORD)
    start_at = time.time() + 4  # both processes are up by then (imports take ~1–2 s)
    processes = [subprocess.Popen([sys.executable, "-c", TWO_PROCESS_SCRIPT, postgres_url, str(start_at), str(tag)],
                                  cwd=ROOT, stdout=subprocess.PIPE, text=True) for tag in (1, 2)]
    results = [r for p in processes for r in json.loads(p.communicate(timeout=120)[0])]
    assert len(results) == 24
    assert recorded(pg_accounts) <= auth.NAME.capacity
    assert sum("Zu viele" in r for r in results) >= 24 - auth.NAME.capacity
    with pytest.raises(LoginError, match="Zu viele"):
        pg_accounts.verify("Anna Muster", PASSWORD, client="10.9.9.9")


def test_at_most_two_hashes_at_once_per_process(accounts, monkeypatch):
    running, peak, lock = [0], [0], threading.Lock()

    def enter():
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)

    def leave():
        with lock:
            running[0] -= 1

    monkeypatch.setattr(auth, "HASHER", hasher(enter, leave))

    def attempt(n):
        try:
            accounts.verify(f"Name {n}", "falsch falsch", client=f"c{n}")
        except LoginError:
            pass

    with ThreadPoolExecutor(12) as pool:
        list(pool.map(attempt, range(12)))
    assert peak[0] == auth.HASH_SLOTS


def test_login_tokens_ticket_session_and_their_end(accounts):
    accounts.add("Anna", PASSWORD)
    ticket = accounts.issue_ticket("Anna", BROWSER, now=START)
    session, device = accounts.exchange_ticket(ticket, BROWSER, now=START + dt.timedelta(seconds=5))
    assert session and device and session != ticket
    assert accounts.exchange_ticket(ticket, BROWSER, now=START) is None  # used up
    assert accounts.session_name(session, now=START + dt.timedelta(hours=1)) == "Anna"
    assert accounts.session_name(session + "x", now=START) is None
    assert accounts.session_name(ticket, now=START) is None  # a ticket is no login
    assert accounts.session_name(device, now=START) is None  # nor is a known-device token
    assert accounts.session_name(session, now=START + dt.timedelta(hours=auth.SESSION_HOURS, seconds=6)) is None
    with accounts.engine.connect() as conn:  # only hashes are stored
        stored = {r[0] for r in conn.execute(select(auth.tokens.c.token_hash))}
    assert session not in stored and auth.digest(session) in stored
    stolen = accounts.issue_ticket("Anna", BROWSER, now=START)  # bound to the browser that logged in
    assert accounts.exchange_ticket(stolen, "anderer-browser", now=START) is None
    assert accounts.exchange_ticket(stolen, "", now=START) is None
    with pytest.raises(LoginError):  # no browser cookie, no ticket
        accounts.issue_ticket("Anna", "")
    late = accounts.issue_ticket("Anna", BROWSER, now=START)
    assert accounts.exchange_ticket(late, BROWSER, now=START + dt.timedelta(seconds=auth.TICKET_SECONDS + 1)) is None


@pytest.mark.parametrize("end", ["logout", "sperren", "passwort"])
def test_every_open_login_ends(accounts, end):
    accounts.add("Anna", PASSWORD)
    sessions = [accounts.exchange_ticket(accounts.issue_ticket("Anna", BROWSER), BROWSER)[0] for _ in range(3)]
    assert all(accounts.session_name(s) == "Anna" for s in sessions)
    if end == "logout":
        accounts.end_session(sessions[0])
        assert [accounts.session_name(s) for s in sessions] == [None, "Anna", "Anna"]
        return
    if end == "sperren":
        accounts.set_active("anna", False)
    else:
        accounts.set_password("Anna", "ein ganz neues Passwort 3")
    assert [accounts.session_name(s) for s in sessions] == [None, None, None]
    if end == "sperren":
        accounts.set_active("Anna", True)  # unblocking does not bring old logins back
        assert [accounts.session_name(s) for s in sessions] == [None, None, None]


def test_blocked_account_gets_no_login_cookie(accounts):
    accounts.add("Anna", PASSWORD)
    ticket = accounts.issue_ticket("Anna", BROWSER)
    accounts.set_active("Anna", False)
    assert accounts.exchange_ticket(ticket, BROWSER) is None


def test_command_line_adds_an_account(db_url, reference, monkeypatch, capsys):
    monkeypatch.setenv("KITA_DATABASE_URL", db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert auth.main(["add", "Carla Koordination", "--passwort-stdin"]) == 0
    assert "angelegt" in capsys.readouterr().out
    store = Store(db_url, gemeinden=reference.gemeinden)
    assert Accounts(store.engine).verify("Carla Koordination", PASSWORD) == "Carla Koordination"
    assert auth.main(["list"]) == 0 and "Carla Koordination" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("aaaaaaaaaaaaaaaa\n"))
    assert auth.main(["passwort", "Carla Koordination", "--passwort-stdin"]) == 1
    store.close()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_no_short_or_blank_password_is_ever_accepted(password):
    if len(password) < auth.MIN_PASSWORD or not password.strip():
        with pytest.raises(LoginError):
            auth.check_password(password)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_name_key_is_stable_and_case_blind(name):
    key = auth.name_key(name)
    assert auth.name_key(key) == key
    assert auth.name_key(name.upper()) == auth.name_key(name.upper().lower()) or name.upper().lower() != name.lower()
    assert len(auth.normal_name(name)) <= auth.MAX_NAME


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=200), password=st.text(max_size=60), client=st.text(max_size=300),
       device=st.text(max_size=80))
def test_any_input_from_outside_is_refused_with_a_login_error(tmp_path_factory, reference, name, password, client, device):
    store = _hypothesis_store(tmp_path_factory, reference)
    with pytest.raises(LoginError):
        Accounts(store.engine).verify(name, password, client=client, device=device)


_STORES: dict = {}


def _hypothesis_store(tmp_path_factory, reference) -> Store:
    if "store" not in _STORES:
        _STORES["store"] = Store(f"sqlite:///{tmp_path_factory.mktemp('hyp') / 'h.sqlite'}", gemeinden=reference.gemeinden)
    return _STORES["store"]


def test_read_only_accounts_write_nothing_and_record_no_try(db_url, reference):
    store = Store(db_url, gemeinden=reference.gemeinden)
    Accounts(store.engine).add("Anna", PASSWORD)
    ticket = Accounts(store.engine).issue_ticket("Anna", BROWSER)
    reading = Accounts(store.engine, read_only=True)
    for call in (lambda: reading.verify("Anna", PASSWORD), lambda: reading.add("Berta", PASSWORD),
                 lambda: reading.exchange_ticket(ticket, BROWSER)):
        with pytest.raises(StoreError, match="nur zum Lesen"):
            call()
    assert recorded(reading) == 0
    assert Accounts(store.engine).exchange_ticket(ticket, BROWSER) is not None  # the ticket was left alone
    store.close()
