"""deploy/: the nginx configuration that deploy.local writes (ports and static folders filled in)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.local import nginx_config
from deploy.paths import static_folders


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
        pytest.skip("nginx fehlt (apt-get install nginx)")
    config = nginx_config(tmp_path, 8080, [8601, 8602])
    done = subprocess.run([nginx, "-t", "-q", "-c", str(config)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


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
