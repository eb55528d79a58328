"""geo.build.plz_outside: PLZ outside the district → their places and Kreis, never a guessed Kreis."""

import pandas as pd

from geo.build.plz_outside import build_table

OUTSIDE = pd.DataFrame([
    {"name": "Bubenheim", "rs": "073395001", "typ": "Gemeinde", "kreis": "Landkreis Mainz-Bingen", "kreisfrei": "False", "land": "Rheinland-Pfalz"},
    {"name": "Bubenheim", "rs": "073335001", "typ": "Gemeinde", "kreis": "Donnersbergkreis", "kreisfrei": "False", "land": "Rheinland-Pfalz"},
    {"name": "Jugenheim in Rheinhessen", "rs": "073395002", "typ": "Gemeinde", "kreis": "Landkreis Mainz-Bingen", "kreisfrei": "False", "land": "Rheinland-Pfalz"},
    {"name": "Essenheim", "rs": "073395003", "typ": "Gemeinde", "kreis": "Landkreis Mainz-Bingen", "kreisfrei": "False", "land": "Rheinland-Pfalz"},
    {"name": "München", "rs": "09162", "typ": "Kreisfreie Stadt", "kreis": "Stadt München", "kreisfrei": "True", "land": "Bayern"},
    {"name": "München", "rs": "09184", "typ": "Landkreis", "kreis": "Landkreis München", "kreisfrei": "False", "land": "Bayern"},
])


def test_places_get_their_kreis_only_when_it_is_certain():
    table = build_table({"55270": ["Bubenheim", "Essenheim", "Jugenheim"], "80331": ["München"],
                         "94000": ["Nirgendwo"], "55234": ["Albig"]}, OUTSIDE, district_plz={"55234"})
    rows = {(r.plz, r.orte): (r.kreis, r.kreisfrei) for r in table.itertuples()}
    # Bubenheim (two in Rheinland-Pfalz) goes with the PLZ's other places; 'Jugenheim' is 'Jugenheim in Rheinhessen'
    assert rows[("55270", "Bubenheim, Essenheim, Jugenheim")] == ("Landkreis Mainz-Bingen", False)
    assert rows[("80331", "München")] == ("Stadt München", True)  # the town, not the Landkreis named after it
    assert rows[("94000", "Nirgendwo")] == ("", False)  # unknown: no Kreis, the answer asks neutrally
    assert "55234" not in set(table["plz"])  # the district's own PLZ are not in this table
