"""Try the deployment on one machine: PostgreSQL, several app processes and nginx, all on loopback.

Run from the repository root as root (Debian packages ``postgresql`` and ``nginx`` installed)::

    python -m deploy.local [--processes 2] [--sessions 50] [--seconds 60]

It starts a throwaway PostgreSQL cluster in a temporary folder (as the ``postgres`` user, trust on
127.0.0.1 only), fills the database once, starts the app processes on free ports with the same
``KITA_DATABASE_URL``, starts nginx with ``deploy/nginx-kita.conf`` (ports filled in), runs
``bench.load`` through nginx (sessions spread over several 127.0.N.1 source addresses so ``ip_hash``
can spread them) and stops everything again. Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from deploy.processes import ROOT, free_port, running
from deploy.paths import fill_in, static_folders

PG_BIN = Path("/usr/lib/postgresql")


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next((str(p) for p in sorted(PG_BIN.glob(f"*/bin/{name}"))), None)
    if not found:
        raise SystemExit(f"{name} fehlt: apt-get install postgresql")
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
    from geo.store import Store

    reference = dataset.load_reference()
    Store(url, gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))


def nginx_config(tmp: Path, listen: int, app_ports: list[int]) -> Path:
    """deploy/nginx-kita.conf with the ports filled in, inside a minimal main configuration."""
    site = fill_in((ROOT / "deploy" / "nginx-kita.conf").read_text(), static_folders())
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in app_ports)
    site = re.sub(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers, site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    (tmp / "kita.conf").write_text(site)
    main = f"""worker_processes 2;
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


@contextlib.contextmanager
def nginx(tmp: Path, listen: int, app_ports: list[int]):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx fehlt: apt-get install nginx")
    config = nginx_config(tmp, listen, app_ports)
    subprocess.run([binary, "-t", "-q", "-c", str(config)], check=True)
    process = subprocess.Popen([binary, "-c", str(config), "-g", "daemon off;"])
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{listen}/_stcore/health", timeout=2).read()
                break
            time.sleep(0.3)
        yield f"http://127.0.0.1:{listen}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    if not 1 <= args.processes <= 8:
        raise SystemExit("1–8 App-Prozesse.")
    with tempfile.TemporaryDirectory(prefix="kita-deploy-") as name, contextlib.ExitStack() as stack:
        tmp = Path(name)
        url = stack.enter_context(postgres(tmp))
        seed(url)
        apps = [stack.enter_context(running("dashboard.py", {"KITA_DATABASE_URL": url}))
                for _ in range(args.processes)]
        proxy = stack.enter_context(nginx(tmp, free_port(), [int(a.url.rsplit(":", 1)[1]) for a in apps]))
        print(f"nginx {proxy} → {', '.join(a.url for a in apps)}; PostgreSQL {url}", flush=True)
        command = [sys.executable, "-m", "bench.load", "--url", proxy, "--sessions", str(args.sessions),
                   "--seconds", str(args.seconds), "--source-ips", "16"]
        for app in apps:
            command += ["--pid", str(app.pid), "--warm", app.url]
        subprocess.run(command, check=False, cwd=ROOT, env={**os.environ})


if __name__ == "__main__":
    main()
