"""deploy/systemd/: the template unit of the app processes, the health-check service and its timer: syntax,
the keys a supervised service needs, and the commands they run (in this checkout and Python instead of
/srv/kita). Running the app with the unit's command behind nginx is tests/test_deploy_browser.py's part."""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import sys
import threading

import pytest

from deploy import units
from deploy.processes import ROOT, free_port

APP = units.read_unit(units.APP_UNIT)
HEALTH = units.read_unit(units.UNIT_DIR / "kita-karte-health@.service")
TIMER = units.read_unit(units.UNIT_DIR / "kita-karte-health@.timer")


def one(unit, section, key) -> str:
    (value,) = units.values(unit, section, key)
    return value


def test_every_unit_file_parses_and_names_a_description():
    files = sorted(p.name for p in units.UNIT_DIR.iterdir())
    assert files == ["kita-karte-health@.service", "kita-karte-health@.timer", "kita-karte@.service"]
    for unit in (APP, HEALTH, TIMER):
        assert "%i" in one(unit, "Unit", "Description")


def test_the_reader_follows_systemd_syntax(tmp_path):
    path = tmp_path / "x.service"
    path.write_text("# c\n[Service]\n; c\nExecStart=/bin/a \\\n  --b\nEnvironment=A=1\nEnvironment=B=2\n")
    assert units.read_unit(path) == {"Service": [("ExecStart", "/bin/a --b"), ("Environment", "A=1"),
                                                 ("Environment", "B=2")]}
    path.write_text("[Service]\nExecStart /bin/a\n")
    with pytest.raises(ValueError, match="Zeile 2: weder"):
        units.read_unit(path)


def test_the_app_unit_is_supervised():
    assert one(APP, "Service", "Type") == "simple"
    assert one(APP, "Service", "Restart") == "always" and float(one(APP, "Service", "RestartSec")) > 0
    assert one(APP, "Service", "User") == "kita"  # never root
    assert one(APP, "Service", "WorkingDirectory") == units.APP_DIR
    assert one(APP, "Service", "StandardOutput") == one(APP, "Service", "StandardError") == "journal"
    assert one(APP, "Service", "EnvironmentFile").startswith("/etc/")  # KITA_DATABASE_URL, never in the repo
    assert one(APP, "Install", "WantedBy") == "multi-user.target"
    # the start counts only once the process answers its health check, within the start timeout
    post = units.command(one(APP, "Service", "ExecStartPost"), "8501")
    wait = float(post[post.index("--warten") + 1])
    assert post[1:3] == ["-m", "deploy.health"] and 0 < wait < float(one(APP, "Service", "TimeoutStartSec"))
    # hardening: no new privileges, system folders read-only
    assert one(APP, "Service", "NoNewPrivileges") == "true" and one(APP, "Service", "ProtectSystem") == "full"


def test_the_health_timer_restarts_a_process_that_stops_answering():
    assert one(HEALTH, "Service", "Type") == "oneshot"
    check = units.command(one(HEALTH, "Service", "ExecStart"), "8501")
    assert check[1:] == ["-m", "deploy.health", "--port", "8501", "--versuche", "3", "--neustart",
                         "kita-karte@8501.service"]
    assert one(HEALTH, "Unit", "Requisite") == "kita-karte@%i.service"
    assert float(one(TIMER, "Timer", "OnUnitActiveSec")) <= 60
    assert one(TIMER, "Install", "WantedBy") == "timers.target"


def test_exec_start_is_the_streamlit_command_and_its_options_exist():
    command = units.app_command(8501)
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", "dashboard.py"]
    assert (ROOT / command[4]).is_file()
    options = dict(zip(command[5::2], command[6::2]))
    assert options["--server.port"] == "8501" and options["--server.address"] == "127.0.0.1"
    # Streamlit itself parses the line: an unknown or misspelt option fails here (`--help` stops before serving)
    done = subprocess.run(command + ["--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Usage: streamlit run" in done.stdout, done.stderr
    wrong = subprocess.run(command + ["--server.prot", "1", "--help"], cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
    assert wrong.returncode != 0 and "No such option" in wrong.stderr


def test_nginx_upstream_and_the_documented_instances_agree():
    site = (ROOT / "deploy" / "nginx-kita.conf").read_text()
    upstream = re.search(r"upstream kita_app \{(.*?)\}", site, re.S).group(1)
    ports = re.findall(r"server 127\.0\.0\.1:(\d+)", upstream)
    documented = re.search(r"systemctl enable --now (kita-karte@\d+ ?)+", units.APP_UNIT.read_text()).group(0)
    assert ports == re.findall(r"kita-karte@(\d+)", documented) == ["8501", "8502"]


class _Health(http.server.BaseHTTPRequestHandler):
    answer = b"ok"

    def do_GET(self):  # noqa: N802
        self.send_response(200 if self.path == "/_stcore/health" else 404)
        self.end_headers()
        self.wfile.write(self.answer)

    def log_message(self, *args):
        pass


def run_health(line: str, port: int) -> subprocess.CompletedProcess:
    command = units.command(line, str(port))
    if "--neustart" in command:  # no systemctl restart from a test
        at = command.index("--neustart")
        del command[at:at + 2]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_the_health_commands_run_and_tell_ok_from_not_ok():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        post = one(APP, "Service", "ExecStartPost").replace("--warten 120", "--warten 2")
        assert run_health(post, port).returncode == 0
        assert run_health(one(HEALTH, "Service", "ExecStart").replace("--versuche 3", "--versuche 1"), port).returncode == 0
        _Health.answer = b"kaputt"
        done = run_health(post, port)
        assert done.returncode == 1 and "Antwort „kaputt“ statt „ok“" in done.stderr
    finally:
        _Health.answer = b"ok"
        server.shutdown()
    nothing = free_port()
    done = run_health(post, nothing)
    assert done.returncode == 1 and f"App-Prozess http://127.0.0.1:{nothing}/_stcore/health: keine Antwort" in done.stderr


def test_systemd_accepts_the_units(tmp_path):
    """systemd's own check of the units, with this checkout's paths (it insists the commands exist)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze fehlt (Paket systemd)")
    environment = tmp_path / "umgebung"
    environment.write_text("KITA_DATABASE_URL=sqlite:////tmp/x.sqlite\n")
    names = []
    for source in sorted(units.UNIT_DIR.iterdir()):
        text = (source.read_text().replace(units.VENV_PYTHON, sys.executable).replace(units.APP_DIR, str(ROOT))
                .replace("/etc/kita-karte/umgebung", str(environment)).replace("User=kita", "User=root")
                .replace("Group=kita", "Group=root"))
        name = source.name.replace("@.", "@8501.")
        (tmp_path / name).write_text(text)
        names.append(str(tmp_path / name))
    done = subprocess.run([analyze, "verify", *names], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    # verify exits 0 on unknown keys or bad values and only warns: any output is a finding
    assert done.returncode == 0 and done.stdout + done.stderr == "", done.stdout + done.stderr
