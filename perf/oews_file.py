"""Write a 100,000-row file in the layout of BLS's OEWS "all data" table, for timing an import.

The columns and areas are the shipped extract's (benchmarks/data/oews-may2025-tech.csv); the
occupations are synthetic (SOC codes 97-xxxx), so the import adds a release's worth of new bands
beside the real ones. Some wages are BLS's "*" (not published) and "#" (top-coded), as in a real
release.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from perf.common import ROOT

SHIPPED = ROOT / "benchmarks" / "data" / "oews-may2025-tech.csv"
ROWS = 100_000
# The file name tells the importer the release: May 2026, effective 2026-05-01.
NAME = "oews-may2026-synthetic-100k.csv"


def write_oews_file(directory: Path, rows: int = ROWS) -> Path:
    path = directory / NAME
    if path.exists() and sum(1 for _ in path.open()) == rows + 1:
        return path
    with SHIPPED.open(newline="") as shipped:
        reader = csv.DictReader(shipped)
        header = list(reader.fieldnames or [])
        areas = {}
        for row in reader:
            if row["NAICS"] == "000000":
                areas.setdefault(row["AREA"], row)
    # The nation first, so every occupation has its U.S. band before its areas.
    ordered = sorted(areas.values(), key=lambda r: (r["AREA_TYPE"] != "1", r["AREA"]))
    rng = random.Random(2026)
    written = 0
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        occupation = 0
        while written < rows:
            code, title = f"97-{occupation:04d}", f"Synthetic occupation {occupation}"
            national = rng.randrange(35_000, 180_000, 10)
            for area in ordered:
                if written == rows:
                    break
                median = round(national * rng.uniform(0.7, 1.4))
                writer.writerow(_row(area, code, title, median, rng))
                written += 1
            occupation += 1
    return path


def _row(area: dict, code: str, title: str, median: int, rng: random.Random) -> dict:
    points = [round(median * k) for k in (0.62, 0.79, 1, 1.24, 1.52)]
    wages = [str(p) for p in points]
    if rng.random() < 0.03:
        wages[0] = "*"  # not published
    for index, point in enumerate(points):
        if point >= 239_200:
            wages[index] = "#"  # top-coded: at or above $239,200, as BLS prints it
    employment = rng.randrange(30, 60_000, 10)
    hourly = [f"{p / 2080:.2f}" for p in points]
    return {
        **{k: area[k] for k in ("AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE")},
        "NAICS": "000000",
        "NAICS_TITLE": "Cross-Industry, Private, Federal, State, and Local",
        "I_GROUP": "cross-industry",
        "OCC_CODE": code,
        "OCC_TITLE": title,
        "O_GROUP": "detailed",
        "TOT_EMP": str(employment),
        "EMP_PRSE": "4.1",
        "JOBS_1000": "1.234",
        "LOC_QUOTIENT": "1.00",
        "H_MEAN": f"{median * 1.05 / 2080:.2f}",
        "A_MEAN": str(round(median * 1.05)),
        "MEAN_PRSE": "1.2",
        "H_PCT10": hourly[0],
        "H_PCT25": hourly[1],
        "H_MEDIAN": hourly[2],
        "H_PCT75": hourly[3],
        "H_PCT90": hourly[4],
        "A_PCT10": wages[0],
        "A_PCT25": wages[1],
        "A_MEDIAN": wages[2],
        "A_PCT75": wages[3],
        "A_PCT90": wages[4],
    }
