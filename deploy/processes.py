"""App processes on loopback for deploy.local, the benchmarks and the tests: a free port, the health check,
``streamlit run`` in a child process. Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class App:
    """A running Streamlit process: its URL and pid."""

    url: str
    pid: int
    process: subprocess.Popen
    log: Path


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """End a process we started: SIGTERM, and SIGKILL when it has not ended after ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Streamlit beendet mit Code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"Streamlit unter {url} antwortet nicht nach {timeout} s")


@contextlib.contextmanager
def running(script: str, env: dict[str, str] | None = None, port: int | None = None, cwd: Path = ROOT,
            command: list[str] | None = None):
    """Start ``streamlit run script`` on 127.0.0.1 (basemap 'none', a fresh SQLite file unless the env
    names a database); yield an :class:`App`; stop it afterwards. ``command``: the whole command line instead
    (e.g. the systemd unit's, :func:`deploy.units.app_command`), listening on ``port``."""
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="kita-bench-") as tmp:
        full_env = {
            **os.environ, "KITA_BASEMAP": "none", "KITA_DATABASE_URL": f"sqlite:///{tmp}/app.sqlite",
            **(env or {}),
        }
        log = Path(tmp) / "streamlit.log"
        with open(log, "w") as out:
            process = subprocess.Popen(
                command or [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
                            "--server.port", str(port), "--server.address", "127.0.0.1",
                            "--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false"],
                cwd=cwd, env=full_env, stdout=out, stderr=subprocess.STDOUT,
            )
            url = f"http://127.0.0.1:{port}"
            try:
                wait_healthy(url, process)
                yield App(url, process.pid, process, log)
            except BaseException:
                print(log.read_text()[-3000:], file=sys.stderr)
                raise
            finally:
                stop(process)
