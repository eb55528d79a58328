"""deploy.upgrade_check: the requirements it writes, the commands it would run (--dry-run), its refusals, and
how it reads failed tests from pytest's JUnit XML. The real install and suite run are for the maintainer."""

from __future__ import annotations

import sys

import pytest

from deploy import upgrade_check
from deploy.processes import ROOT


def test_dry_run_pins_the_given_versions_and_keeps_every_other_pin(tmp_path, capsys):
    assert upgrade_check.main(["--streamlit", "1.68.0", "--streamlit-folium", "0.28.0", "--venv", str(tmp_path),
                               "--dry-run", "--", "-m", "not browser"]) == 0
    out = capsys.readouterr().out
    written = out.split(f"# {tmp_path}/requirements.txt\n")[1].split(f"# {tmp_path}/requirements-dev.txt\n")[0]
    original = (ROOT / "requirements.txt").read_text().splitlines()
    assert "streamlit==1.68.0" in written.splitlines() and "streamlit-folium==0.28.0" in written.splitlines()
    changed = [(a, b) for a, b in zip(original, written.splitlines()) if a != b]
    assert [b for _, b in changed] == ["streamlit==1.68.0", "streamlit-folium==0.28.0"]
    assert len(written.splitlines()) == len(original)
    python = f"{tmp_path}/venv/bin/python"
    assert f"{sys.executable} -m venv {tmp_path}/venv" in out
    assert f"{python} -m pip install -q -r {tmp_path}/requirements-dev.txt" in out
    assert f"{python} -m pytest -p no:cacheprovider --junitxml={tmp_path}/ergebnis.xml -m 'not browser'" in out
    assert not (tmp_path / "venv").exists() and not (tmp_path / "requirements.txt").exists()  # nothing done


def test_newest_leaves_the_two_unpinned():
    written = upgrade_check.pinned("a==1\nstreamlit==1.67.0\nstreamlit-folium==0.27.4  # x\nb>=2\n",
                                   {"streamlit": "neueste", "streamlit-folium": "neueste"})
    assert written == "a==1\nstreamlit\nstreamlit-folium  # x\nb>=2\n"


def test_refusals(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        upgrade_check.main(["--streamlit", "1.68; rm -rf /", "--dry-run"])
    assert stop.value.code == 2 and "keine Versionsnummer für streamlit" in capsys.readouterr().err
    (tmp_path / "venv").mkdir()
    with pytest.raises(SystemExit):
        upgrade_check.main(["--venv", str(tmp_path), "--dry-run"])
    assert "gibt es schon" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="nennt streamlit nicht"):
        upgrade_check.pinned("a==1\n", {"streamlit": "1.0"})


def test_failed_tests_are_read_from_junit_xml(tmp_path):
    junit = tmp_path / "r.xml"
    junit.write_text(
        '<testsuites><testsuite>'
        '<testcase classname="tests.test_a" name="test_ok"/>'
        '<testcase classname="tests.test_a" name="test_bad"><failure message="x"/></testcase>'
        '<testcase classname="tests.test_b" name="test_err[sqlite]"><error message="y"/></testcase>'
        '<testcase classname="tests.test_b" name="test_skip"><skipped/></testcase>'
        '</testsuite></testsuites>')
    assert upgrade_check.failures(junit) == ["tests/test_a.py::test_bad", "tests/test_b.py::test_err[sqlite]"]
    assert upgrade_check.failures(tmp_path / "fehlt.xml") == []
