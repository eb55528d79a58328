"""Configuration of the data folder is read once, on first use, into one object (kita.constants.data_folder)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_app_modules_reads_no_configuration(tmp_path):
    """No module reads kreis.toml or KITA_DATA_DIR when imported: a broken data folder fails where it is
    used, with its German message, not at an import somewhere."""
    code = ("import kita.constants as c, geo.layers, geo.search, geo.dataset, geo.reference, geo.locate, "
            "datastore.store, reports.tables, reports.export\n"
            "print(c.data_folder.cache_info().currsize)")
    env = {**os.environ, "KITA_DATA_DIR": str(tmp_path / "fehlt")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


def test_data_folder_is_read_once_and_follows_kita_data_dir(tmp_path):
    code = ("import kita.constants as c\n"
            "print(c.data_folder().root)\n"
            "print(c.data_folder() is c.data_folder())\n"
            "try:\n    c.district()\nexcept c.DataError as e:\n    print('Fehler:', e)\n")
    env = {**os.environ, "KITA_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    root, same, error = done.stdout.strip().splitlines()
    assert root == str(tmp_path.resolve()) and same == "True"
    assert error.startswith("Fehler: Datei") and "kreis.toml" in error
