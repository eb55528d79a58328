"""Back up and restore the app's database (SQLite file or PostgreSQL), one command each:

    python -m deploy.backup sichern DATEI            # the configured database (KITA_DATABASE_URL / kita.toml)
    python -m deploy.backup wiederherstellen DATEI
    … --url postgresql+psycopg://kita@db.example/kita   # another database

SQLite: a consistent copy with SQLite's online backup API (``sqlite3 .backup``), also while the app runs; the
backup is itself a SQLite file. Restoring copies it back the same way, page by page, replacing the whole file's
content. PostgreSQL: ``pg_dump -Fc`` (custom format) and ``pg_restore --clean --if-exists --single-transaction``
(all or nothing; the password comes from the URL through PGPASSWORD, never on the command line). A restore
refuses a database with tables the backup does not have (made by a newer version: restore into an empty
database instead) and a backup of the other kind.

After a restore the schema is brought to this version's revision (the app's migrations, as at every start),
so a backup made by an older version can be restored into a newer one. Stop the app processes for a restore
(``systemctl stop 'kita-karte@*'``) and start them afterwards: a running process keeps caches keyed by the
number of the latest change, and that number goes back with the restore.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

SQLITE_HEADER = b"SQLite format 3\x00"
PG_HEADER = b"PGDMP"
APP_TABLE = "aenderungen"  # the change log: every database of the app has it


class BackupError(Exception):
    """A backup or restore that did not happen; the message (German) says why and what to do."""


def _url(database_url: str) -> URL:
    try:
        url = make_url(database_url)
    except ArgumentError:
        raise BackupError("Die Datenbank-Adresse ist keine gültige SQLAlchemy-URL.") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"Sichern geht nur für SQLite und PostgreSQL, nicht für {url.get_backend_name()}.")
    return url


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("Eine SQLite-Datenbank im Speicher lässt sich nicht sichern (keine Datei).")
    return Path(url.database)


def kind_of(path: Path) -> str:
    """'sqlite' or 'postgresql' by the file's first bytes (BackupError for anything else)."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise BackupError(f"Die Sicherung {path} gibt es nicht.") from None
    except OSError as exc:
        raise BackupError(f"Die Sicherung {path} ist nicht lesbar: {exc.strerror}.") from None
    if start == SQLITE_HEADER:
        return "sqlite"
    if start.startswith(PG_HEADER):
        return "postgresql"
    raise BackupError(f"{path} ist keine Sicherung dieser App (weder SQLite-Datei noch pg_dump-Archiv).")


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None)
    if not found:
        raise BackupError(f"{name} fehlt: apt-get install postgresql-client")
    return found


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment that carries the password."""
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return plain, env


def _run(command: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} fehlgeschlagen (Code {done.returncode}): {done.stderr.strip()[-1500:]}")
    return done


# --- backing up -------------------------------------------------------------------------------------------

def back_up(database_url: str, target: Path) -> str:
    """Write a backup of the database to ``target`` (a new file); returns its kind."""
    url = _url(database_url)
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} gibt es schon; eine Sicherung überschreibt nichts (anderen Namen wählen).")
    if not target.parent.is_dir():
        raise BackupError(f"Den Ordner {target.parent} gibt es nicht.")
    partial = target.with_name(target.name + ".teil")
    partial.unlink(missing_ok=True)
    try:
        if url.get_backend_name() == "sqlite":
            source = _sqlite_file(url)
            if not source.is_file():
                raise BackupError(f"Die Datenbankdatei {source} gibt es nicht.")
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(partial) as dst:
                src.backup(dst)
            src.close()
            dst.close()
        else:
            connection, env = _libpq(url)
            _run([_tool("pg_dump"), "--format=custom", "--file", str(partial), "--dbname", connection], env,
                 "pg_dump")
        os.replace(partial, target)  # a backup file is complete or not there
    finally:
        partial.unlink(missing_ok=True)
    return url.get_backend_name()


# --- restoring --------------------------------------------------------------------------------------------

def _check_sqlite_backup(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            (verdict,) = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Die Sicherung {path} ist beschädigt: {exc}.") from None
    if verdict != "ok":
        raise BackupError(f"Die Sicherung {path} ist beschädigt (integrity_check: {verdict}).")
    if APP_TABLE not in tables:
        raise BackupError(f"{path} ist eine SQLite-Datei, aber keine Datenbank dieser App (ohne Änderungsprotokoll).")


def _dump_tables(path: Path, env: dict[str, str]) -> set[tuple[str, str]]:
    """(schema, table) of every table in a pg_dump archive (its table of contents)."""
    listing = _run([_tool("pg_restore"), "--list", str(path)], env, "pg_restore --list").stdout
    tables = set()
    for line in listing.splitlines():
        words = line.split()
        # e.g. "215; 1259 16390 TABLE public kitas postgres" (not "TABLE DATA public kitas …")
        if not line.startswith(";") and len(words) >= 6 and words[3] == "TABLE" and words[4] != "DATA":
            tables.add((words[4], words[5]))
    return tables


def _database_tables(url: URL, schemas: set[str]) -> set[tuple[str, str]]:
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql  # not "text(": that name is a message id keyword (babel.cfg)

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sql(
                "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(:schemas)"),
                {"schemas": sorted(schemas)}).all()
    except Exception as exc:
        raise BackupError(f"Die Datenbank {url.render_as_string(hide_password=True)} ist nicht erreichbar: "
                          f"{exc.__class__.__name__}.") from None
    finally:
        engine.dispose()
    return {(schema, table) for schema, table in rows}


def restore(database_url: str, source: Path) -> tuple[str | None, str]:
    """Replace the database's content with the backup ``source``, then migrate it to this version's schema.
    Returns (revision of the backup, revision now)."""
    url = _url(database_url)
    source = Path(source)
    kind = kind_of(source)
    backend = url.get_backend_name()
    if kind != backend:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(f"{source} ist eine {names[kind]}-Sicherung, die Datenbank ist {names[backend]}: "
                          f"in eine {names[kind]}-Datenbank wiederherstellen (--url).")
    if backend == "sqlite":
        _check_sqlite_backup(source)
        target = _sqlite_file(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target, timeout=30) as dst:
            src.backup(dst)
        src.close()
        dst.close()
    else:
        connection, env = _libpq(url)
        in_backup = _dump_tables(source, env)
        if not any(table == APP_TABLE for _, table in in_backup):
            raise BackupError(f"{source} ist ein pg_dump-Archiv, aber keine Datenbank dieser App (ohne Änderungsprotokoll).")
        extra = _database_tables(url, {schema for schema, _ in in_backup}) - in_backup
        if extra:
            raise BackupError(
                "Die Datenbank hat Tabellen, die nicht in der Sicherung stehen (wohl von einer neueren Version): "
                + ", ".join(sorted(f"{s}.{t}" for s, t in extra))
                + ". Abhilfe: in eine leere Datenbank wiederherstellen (z. B. dropdb und createdb), dann diesen Befehl.")
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
              "--dbname", connection, str(source)], env, "pg_restore")
    return _migrate(url)


def _migrate(url: URL) -> tuple[str | None, str]:
    """The app's migrations on the restored database (as at every start of the app)."""
    from sqlalchemy import create_engine

    from datastore import migrate

    engine = create_engine(url)
    try:
        before = migrate.current(engine)
        migrate.upgrade(engine)
        return before, migrate.current(engine)
    except Exception as exc:
        raise BackupError(f"Wiederhergestellt, aber die Migration auf den Stand dieser Version scheiterte: "
                          f"{exc.__class__.__name__}: {str(exc)[:300]}") from None
    finally:
        engine.dispose()


def _configured_url() -> str:
    from kita.settings import load_settings

    return load_settings().database_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.backup", description=__doc__.splitlines()[0])
    parser.add_argument("aktion", choices=["sichern", "wiederherstellen"])
    parser.add_argument("datei", type=Path)
    parser.add_argument("--url", help="SQLAlchemy-URL der Datenbank (Standard: KITA_DATABASE_URL bzw. kita.toml)")
    args = parser.parse_args(argv)
    database_url = args.url or _configured_url()
    shown = make_url(database_url).render_as_string(hide_password=True) if database_url else ""
    try:
        if args.aktion == "sichern":
            kind = back_up(database_url, args.datei)
            size = f"{args.datei.stat().st_size:,}".replace(",", ".")
            print(f"Gesichert: {shown} → {args.datei} ({kind}, {size} Bytes)")
        else:
            before, now = restore(database_url, args.datei)
            print(f"Wiederhergestellt: {args.datei} → {shown}; Schema-Revision {before or '(keine)'} → {now}. "
                  "App-Prozesse jetzt (neu) starten.")
    except BackupError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
