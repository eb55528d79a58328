"""What the app says about the world is backed: every catalogue text marked as a fact names its row in
data/reference/fakten.csv, and every figure a text claims about the shipped data is recomputed from the file."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from geo import i18n
from geo.constants import SEED_DIR
from geo.text import number

ROOT = Path(__file__).resolve().parent.parent
DEMO_TEXT_LANGUAGES = ("de", "en")  # about_demo_data is part of the coordinators' UI (German fallback elsewhere)


@pytest.fixture(scope="module")
def kitas() -> pd.DataFrame:
    return pd.read_csv(SEED_DIR / "kitas.csv", dtype={"gemeinde_rs": str})


@pytest.mark.parametrize("lang", DEMO_TEXT_LANGUAGES)
def test_demo_text_states_the_sums_of_the_shipped_kitas(kitas, lang):
    """'Über' says the demo Kitas add up to 5,267 children and 6,049 places: the file must say the same."""
    text = i18n.text("about_demo_data", lang, verwaltung="Kreisverwaltung")
    for column in ("kinder", "plaetze"):
        assert number(int(kitas[column].sum()), 0, lang) in text, (lang, column, int(kitas[column].sum()))


def test_readme_states_the_sums_of_the_shipped_kitas(kitas):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("**Wie die Beispieldaten entstehen**"):]
    paragraph = paragraph[: paragraph.index("\n\n")]
    claimed = {int(n.replace(".", "")) for n in re.findall(r"\b\d\.\d{3}\b", paragraph)}
    assert {int(kitas["kinder"].sum()), int(kitas["plaetze"].sum())} <= claimed
