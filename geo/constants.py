"""Fixed facts of the district and of the files: keys, CRS, paths."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
BOUNDARY_DIR = DATA_DIR / "boundaries"
SEED_DIR = DATA_DIR / "seed"

DISTRICT_KEY = "07331"  # Landkreis Alzey-Worms, regional key (RS) prefix
# The 7 Versorgungsgebiete: 6 Verbandsgemeinden and the verbandsfreie Stadt Alzey (9-digit RS).
AREA_KEYS = (
    "073310003",  # Stadt Alzey
    "073315001",  # VG Alzey-Land
    "073315002",  # VG Eich
    "073315003",  # VG Monsheim
    "073315005",  # VG Wöllstein
    "073315006",  # VG Wörrstadt
    "073315007",  # VG Wonnegau
)

METRIC_CRS = "EPSG:25832"  # ETRS89 / UTM 32N: metres, for simplification and areas
OUTPUT_CRS = "EPSG:4326"  # WGS84 lon/lat: files, folium

ATTRIBUTION = "© GeoBasis-DE / BKG"
