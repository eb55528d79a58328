"""Health check of one app process: does ``http://127.0.0.1:PORT/_stcore/health`` answer ``ok``?

    python -m deploy.health --port 8501                      # one try (10 s), exit 0 or 1
    python -m deploy.health --port 8501 --warten 120          # wait up to 120 s for it (after a start)
    python -m deploy.health --port 8501 --versuche 3 --neustart kita-karte@8501.service

Used by the systemd units in deploy/systemd/ (ExecStartPost of kita-karte@.service; the timer's
kita-karte-health@.service restarts a process that is running but no longer answers). Standard library only:
it starts in a fraction of a second and imports nothing of the app.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.request

TIMEOUT_S = 10  # one try: a process busy with a heavy run still answers its health check within this


def healthy(url: str, timeout: float = TIMEOUT_S) -> str | None:
    """None when ``url`` answers ``ok``, else what went wrong (German)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read(100).decode(errors="replace").strip()
    except OSError as exc:
        return f"keine Antwort ({exc.__class__.__name__}: {getattr(exc, 'reason', exc)})"
    return None if body == "ok" else f"Antwort „{body[:40]}“ statt „ok“"


def check(port: int, host: str = "127.0.0.1", wait: float = 0, tries: int = 1, pause: float = 5,
          timeout: float = TIMEOUT_S) -> str | None:
    """None when healthy: within ``wait`` seconds (polling), or in one of ``tries`` tries ``pause`` s apart."""
    url = f"http://{host}:{port}/_stcore/health"
    deadline = time.monotonic() + wait
    problem = None
    for attempt in range(max(1, tries)):
        while True:
            problem = healthy(url, timeout)
            if problem is None or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        if problem is None:
            return None
        if attempt + 1 < tries:
            time.sleep(pause)
    return f"App-Prozess {url}: {problem}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.health", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--warten", type=float, default=0, help="so viele Sekunden auf die Antwort warten")
    parser.add_argument("--versuche", type=int, default=1, help="so viele Versuche, je 5 s Abstand")
    parser.add_argument("--neustart", metavar="UNIT", help="diese systemd-Unit neu starten, wenn alle Versuche scheitern")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535 or args.versuche < 1 or args.warten < 0:
        parser.error("Port 1–65535, mindestens ein Versuch, Wartezeit ≥ 0.")
    problem = check(args.port, args.host, args.warten, args.versuche)
    if problem is None:
        return 0
    print(problem, file=sys.stderr, flush=True)
    if args.neustart:
        print(f"Starte {args.neustart} neu.", file=sys.stderr, flush=True)
        done = subprocess.run(["systemctl", "restart", "--no-block", args.neustart], check=False)
        if done.returncode != 0:
            print(f"Neustart von {args.neustart} fehlgeschlagen (Code {done.returncode}).", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
