"""Try the deployment on one machine: PostgreSQL, several app processes and nginx, all on loopback.

Run from the repository root as root (Debian packages ``postgresql`` and ``nginx`` installed)::

    python -m deploy.local [--processes 2] [--sessions 50] [--seconds 60]

It starts a throwaway PostgreSQL cluster in a temporary folder (as the ``postgres`` user, trust on
127.0.0.1 only), fills the database once, starts the app processes on free ports with the same
``KITA_DATABASE_URL``, starts nginx with ``deploy/nginx-kita.conf`` (ports filled in), runs
``bench.load`` through nginx (sessions spread over several 127.0.N.1 source addresses so ``ip_hash``
can spread them) and stops everything again. Nothing listens beyond 127.0.0.1.

The app processes run the ExecStart line of deploy/systemd/kita-karte@.service (``deploy.units``), nginx's
workers run as ``www-data`` as on Debian. Before anything starts, it checks that www-data can read every folder
nginx serves (``deploy.checks``); any failed step (that check, a process that does not come up, the load tool
failing or counting errors) ends it with exit code 1 and a German message.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from deploy.checks import NGINX_USER, unreadable
from deploy.paths import fill_in, static_folders
from deploy.processes import ROOT, App, free_port, running, stop
from deploy.units import app_command

PG_BIN = Path("/usr/lib/postgresql")


class DeployError(Exception):
    """A step of the trial deployment failed; the message (German) says which and what to do."""


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next((str(p) for p in sorted(PG_BIN.glob(f"*/bin/{name}"))), None)
    if not found:
        raise DeployError(f"{name} fehlt: apt-get install postgresql")
    return found


@contextlib.contextmanager
def postgres(tmp: Path):
    """A throwaway cluster; yields its SQLAlchemy URL."""
    data, port = tmp / "pg", free_port()
    data.mkdir()
    shutil.chown(tmp, "postgres")
    shutil.chown(data, "postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_postgres + [_pg_tool("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
                   check=True, stdout=subprocess.DEVNULL)
    options = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(as_postgres + [_pg_tool("pg_ctl"), "-D", str(data), "-o", options, "-l", str(tmp / "pg.log"),
                                  "-w", "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        subprocess.run(as_postgres + [_pg_tool("createdb"), "-h", "127.0.0.1", "-p", str(port), "kita"], check=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/kita"
    finally:
        subprocess.run(as_postgres + [_pg_tool("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL)


def seed(url: str) -> None:
    """Fill an empty database once, before the processes start (else each first request races to do it)."""
    from geo import dataset
    from datastore.store import Store

    reference = dataset.load_reference()
    Store(url, gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))


def nginx_config(tmp: Path, listen: int, app_ports: list[int], user: str | None = None) -> Path:
    """deploy/nginx-kita.conf with the ports filled in, inside a minimal main configuration; ``user``: the
    workers' user (only when started as root), as in Debian's /etc/nginx/nginx.conf."""
    site = fill_in((ROOT / "deploy" / "nginx-kita.conf").read_text(), static_folders())
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in app_ports)
    site = re.sub(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers, site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    (tmp / "kita.conf").write_text(site)
    user_line = f"user {user};\n" if user else ""
    main = f"""{user_line}worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {tmp}/kita.conf;
}}
"""
    path = tmp / "nginx.conf"
    path.write_text(main)
    return path


def nginx_binary() -> str:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise DeployError("nginx fehlt: apt-get install nginx")
    return binary


def workers_user() -> str | None:
    """The user nginx's workers run as: www-data when started as root (as on Debian), else this user."""
    return NGINX_USER if os.geteuid() == 0 else None


def check_static_folders(user: str | None = None) -> dict[str, Path]:
    """The folders nginx serves, after checking that its workers (``user``, else :func:`workers_user`) can read
    them (DeployError otherwise)."""
    from geo import assets

    assets.copy_vendor_files()  # APP_STATIC exists only once the app has copied Leaflet there
    folders = static_folders()
    reader = user or workers_user() or getpass.getuser()
    problems = unreadable(folders, reader)
    if problems:
        raise DeployError("\n".join(problems))
    return folders


@contextlib.contextmanager
def nginx(tmp: Path, listen: int, app_ports: list[int], user: str | None = None):
    binary = nginx_binary()
    config = nginx_config(tmp, listen, app_ports, user or workers_user())
    tested = subprocess.run([binary, "-t", "-q", "-c", str(config)], capture_output=True, text=True)
    if tested.returncode != 0:
        raise DeployError(f"nginx lehnt die Konfiguration {config} ab: {tested.stderr.strip()}")
    process = subprocess.Popen([binary, "-c", str(config), "-g", "daemon off;"])
    url = f"http://127.0.0.1:{listen}"
    try:
        deadline, answer = time.monotonic() + 30, None
        while answer != "ok":
            if process.poll() is not None:
                raise DeployError(f"nginx beendet mit Code {process.returncode}; siehe {tmp}/nginx-error.log")
            if time.monotonic() > deadline:
                raise DeployError(f"nginx unter {url} antwortet nach 30 s nicht mit „ok“ auf /_stcore/health")
            with contextlib.suppress(OSError):
                answer = urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read().decode().strip()
            if answer != "ok":
                time.sleep(0.3)
        yield url
    finally:
        stop(process)


@contextlib.contextmanager
def stack(processes: int, database_url: str | None = None, nginx_user: str | None = None):
    """The production shape on loopback: PostgreSQL (``database_url``, else a throwaway cluster), ``processes``
    app processes started with the systemd unit's command, nginx in front (its workers as ``nginx_user``, else
    as :func:`workers_user`). Yields (nginx URL, apps, database URL); stops everything afterwards."""
    check_static_folders(nginx_user)
    nginx_binary()
    with tempfile.TemporaryDirectory(prefix="kita-deploy-") as name, contextlib.ExitStack() as stack:
        tmp = Path(name)
        os.chmod(tmp, 0o711)  # nginx's workers (www-data) keep their temporary files below it
        url = database_url or stack.enter_context(postgres(tmp))
        seed(url)
        apps: list[App] = []
        for _ in range(processes):
            port = free_port()
            apps.append(stack.enter_context(running("dashboard.py", {"KITA_DATABASE_URL": url}, port=port,
                                                    command=app_command(port))))
        proxy = stack.enter_context(nginx(tmp, free_port(), [int(a.url.rsplit(":", 1)[1]) for a in apps], nginx_user))
        yield proxy, apps, url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.local", description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    if not 1 <= args.processes <= 8:
        parser.error("1–8 App-Prozesse.")
    try:
        with stack(args.processes) as (proxy, apps, url):
            print(f"nginx {proxy} → {', '.join(a.url for a in apps)}; PostgreSQL {url}", flush=True)
            command = [sys.executable, "-m", "bench.load", "--url", proxy, "--sessions", str(args.sessions),
                       "--seconds", str(args.seconds), "--source-ips", "16"]
            for app in apps:
                command += ["--pid", str(app.pid), "--warm", app.url]
            # The load tool is a program run here, not a module imported by deploy/.
            done = subprocess.run(command, check=False, cwd=ROOT, env={**os.environ})
            if done.returncode != 0:
                raise DeployError(f"Das Lastskript (bench.load) endete mit Code {done.returncode} (Fehler oben).")
    except (DeployError, subprocess.CalledProcessError, RuntimeError, OSError) as exc:
        print(f"deploy.local fehlgeschlagen: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
