"""deploy/: the nginx configuration that deploy.local writes (ports and static folders filled in), the check
that nginx's workers can read what they serve, and deploy.local's exit code."""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from deploy import local
from deploy.checks import Reader, unreadable
from deploy.local import nginx_config
from deploy.paths import static_folders
from deploy.processes import free_port


def test_config_names_every_app_process_and_serves_the_static_folders_from_disk(tmp_path):
    config = nginx_config(tmp_path, 8080, [8601, 8602, 8603])
    site = (tmp_path / "kita.conf").read_text()
    assert "listen 127.0.0.1:8080;" in site
    assert [line.split()[1] for line in site.splitlines() if line.strip().startswith("server 127.0.0.1")] == [
        "127.0.0.1:8601", "127.0.0.1:8602", "127.0.0.1:8603"]
    aliases = {line.split("#")[1].split()[0]: line.split()[1] for line in site.splitlines() if line.strip().startswith("alias ")}
    assert aliases == {marker: f"{folder}/;" for marker, folder in static_folders().items()}
    assert all(folder.is_dir() for marker, folder in static_folders().items() if marker != "APP_STATIC")
    assert (static_folders()["STREAMLIT_STATIC"] / "js").is_dir()  # where Streamlit's /static/js/… files are
    assert "/srv/kita" not in site
    assert str(tmp_path / "kita.conf") in config.read_text()


def test_nginx_accepts_the_config(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx fehlt unter CI=true (.ci/run installiert es)")
        pytest.skip("nginx fehlt (apt-get install nginx)")
    config = nginx_config(tmp_path, 8080, [8601, 8602], user="www-data")
    assert config.read_text().startswith("user www-data;\n")
    done = subprocess.run([nginx, "-t", "-q", "-c", str(config)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


# --- deploy.checks: can nginx's workers read what they serve? ----------------------------------------------

@pytest.fixture
def served(tmp_path_factory):
    """A folder like Streamlit's static one (a subfolder, files), in a parent every user may enter (tmp_path
    itself lies below pytest's mode-700 folder)."""
    parent = Path(tempfile.mkdtemp(prefix="kita-served-", dir="/tmp"))
    folder = parent / "static"
    (folder / "js").mkdir(parents=True)
    (folder / "index.html").write_text("<html></html>")
    (folder / "js" / "main.js").write_text("1")
    for path in (parent, folder, folder / "js"):
        path.chmod(0o755)
    for path in (folder / "index.html", folder / "js" / "main.js"):
        path.chmod(0o644)
    yield folder
    for path in (parent, folder, folder / "js"):
        path.chmod(0o755)
    shutil.rmtree(parent)


def other_user():
    """Someone who owns none of the test's files and is in none of their groups (like www-data)."""
    return Reader("www-data", uid=os.getuid() + 4242 if os.getuid() else 4242, gids=frozenset({4242}))


def test_readable_folders_pass(served):
    assert unreadable({"STREAMLIT_STATIC": served}, other_user()) == []


def test_a_folder_with_mode_700_is_named_with_the_fix(served):
    served.chmod(0o700)
    (problem,) = unreadable({"STREAMLIT_STATIC": served}, other_user())
    assert f"STREAMLIT_STATIC {served} nicht lesen" in problem
    assert "Ordner nicht lesbar" in problem and "drwx------" in problem
    assert f"chmod -R o+rX {served}" in problem
    # its owner may read it: the check looks at who is asking (root reads anything, so give it another owner)
    if os.getuid() == 0:
        os.chown(served, 4243, -1)
    owner = Reader("besitzer", uid=served.stat().st_uid, gids=frozenset())
    assert unreadable({"STREAMLIT_STATIC": served}, owner) == []


def test_a_parent_that_cannot_be_entered_and_an_unreadable_file_are_named(served):
    (served / "js" / "main.js").chmod(0o600)
    (problem,) = unreadable({"APP_STATIC": served}, other_user())
    assert f"{served / 'js' / 'main.js'} (Datei nicht lesbar" in problem
    served.parent.chmod(0o700)
    (problem,) = unreadable({"APP_STATIC": served}, other_user())
    assert f"{served.parent} (Ordner darf nicht betreten werden" in problem and f"chmod o+x {served.parent}" in problem


def test_a_group_member_reads_by_the_group_bits(served):
    served.chmod(0o750)
    member = Reader("www-data", uid=4242, gids=frozenset({served.stat().st_gid}))
    assert unreadable({"X": served}, member) == []
    assert unreadable({"X": served}, other_user())


def test_a_missing_folder_and_an_unknown_user(served, capsys):
    (problem,) = unreadable({"FOLIUM_FRONTEND": served / "fehlt"}, other_user())
    assert f"FOLIUM_FRONTEND: Ordner {served / 'fehlt'} fehlt" in problem
    with pytest.raises(SystemExit, match="Benutzer „kein-solcher-benutzer“ gibt es"):
        unreadable({"X": served}, "kein-solcher-benutzer")


def test_a_real_user_is_read_from_the_system(served):
    """'nobody' exists on every Debian machine; a mode-700 folder owned by someone else is closed to it."""
    if os.getuid() == pwd.getpwnam("nobody").pw_uid:
        pytest.skip("die Tests laufen als nobody")
    assert unreadable({"X": served}, "nobody") == []
    served.chmod(0o700)
    assert unreadable({"X": served}, "nobody")


def test_deploy_local_stops_with_code_1_before_starting_anything_when_nginx_cannot_read(served, monkeypatch, capsys):
    served.chmod(0o700)
    monkeypatch.setattr(local, "static_folders", lambda: {"STREAMLIT_STATIC": served})
    monkeypatch.setattr(local, "workers_user", lambda: "nobody")
    monkeypatch.setattr(local, "postgres", lambda tmp: pytest.fail("PostgreSQL gestartet trotz Fehler"))
    if os.getuid() == pwd.getpwnam("nobody").pw_uid:
        pytest.skip("die Tests laufen als nobody")
    assert local.main(["--processes", "1", "--sessions", "1", "--seconds", "1"]) == 1
    error = capsys.readouterr().err
    assert "deploy.local fehlgeschlagen: nginx (Benutzer nobody) kann STREAMLIT_STATIC" in error
    assert f"chmod -R o+rX {served}" in error


def test_deploy_local_exits_1_when_the_load_tool_fails(monkeypatch, capsys):
    """The load tool run for real against a port where nothing listens: it fails, and so does deploy.local."""
    import contextlib

    @contextlib.contextmanager
    def nothing_there(processes, database_url=None):
        yield f"http://127.0.0.1:{free_port()}", [], "sqlite://"

    monkeypatch.setattr(local, "stack", nothing_there)
    assert local.main(["--processes", "1", "--sessions", "1", "--seconds", "1"]) == 1
    assert "Das Lastskript (bench.load) endete mit Code" in capsys.readouterr().err


def test_shipped_config_speaks_tls_and_keeps_session_ids_out_of_the_log(tmp_path):
    """Issue 22: TLS on 443 (certificate paths as placeholders), plain HTTP from outside redirected to HTTPS,
    HSTS, upload URLs (they carry session ids) not logged, the metrics endpoint closed."""
    import re

    site = (Path(__file__).resolve().parent.parent / "deploy" / "nginx-kita.conf").read_text()
    assert re.search(r"^\s+listen 443 ssl;", site, re.M)
    assert "ssl_certificate $kita_tls_certificate;" in site and "/etc/ssl/kita/" in site
    assert re.search(r'if \(\$kita_redirect = "http:0"\) \{\s+return 301 https://\$host\$request_uri;', site)
    assert "127.0.0.1 1;" in site and re.search(r"geo \$kita_plain_http_allowed \{\s+default 0;", site)
    assert "Strict-Transport-Security" in site
    assert re.search(r"~\^/_stcore/upload_file/ 0;", site) and "if=$kita_loggable" in site
    assert re.search(r"location = /_stcore/metrics \{\s+return 404;", site)
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in site
