"""Small real extracts of the bundled files (tests/data/README.md says how each was cut)."""

from pathlib import Path

from keycities.engagement import services

DATA = Path(__file__).parent / "data"
LOOKUP = DATA / "ward-lookup.csv"
MPS = DATA / "mps.csv"
MPS_JULY_2024 = DATA / "mps-july-2024.csv"
CFC = DATA / "cfc.csv"
APPG = DATA / "appg-key-cities.json"
IFG = DATA / "ifg"


def load(mps: Path = MPS) -> services.LoadReport:
    return services.load_engagement(lookup=LOOKUP, mps=mps, cfc=CFC, appg=APPG, ifg=IFG)
