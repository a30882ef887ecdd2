"""Storing BLS OEWS files: the shipped extract, re-imports, new releases, broken files, the command."""

import csv
import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from benchmarks.factors import recompute_industry_factors, recompute_location_factors
from benchmarks.importers.loader import (
    OEWS_SOURCE_NAME,
    ChangeCounts,
    OewsLoadError,
    import_oews_file,
    release_from_filename,
    release_from_label,
)
from benchmarks.importers.oews import OewsFormatError
from benchmarks.models import Band, Factor, Industry, Location, Occupation, Source
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

D = Decimal
SHIPPED = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "oews-may2025-tech.csv"
MAY_2025 = datetime.date(2025, 5, 1)

with SHIPPED.open(newline="") as shipped:
    HEADER = next(csv.reader(shipped))  # the extract's 27 columns
CROSS_INDUSTRY = {"NAICS": "000000", "NAICS_TITLE": "Cross-Industry", "I_GROUP": "cross-industry"}
US = {"AREA": "99", "AREA_TITLE": "U.S.", "AREA_TYPE": "1", "PRIM_STATE": "US"}
WASHINGTON = {"AREA": "53", "AREA_TITLE": "Washington", "AREA_TYPE": "2", "PRIM_STATE": "WA"}
SEATTLE = {
    "AREA": "42660",
    "AREA_TITLE": "Seattle-Tacoma-Bellevue, WA",
    "AREA_TYPE": "4",
    "PRIM_STATE": "WA",
}
SOFTWARE = {"OCC_CODE": "15-1252", "OCC_TITLE": "Software Developers", "O_GROUP": "detailed"}
PROJECTS = {
    "OCC_CODE": "13-1082",
    "OCC_TITLE": "Project Management Specialists",
    "O_GROUP": "detailed",
}


def wages(p10, p25, p50, p75, p90, employment="1000") -> dict[str, str]:
    return {
        "A_PCT10": str(p10),
        "A_PCT25": str(p25),
        "A_MEDIAN": str(p50),
        "A_PCT75": str(p75),
        "A_PCT90": str(p90),
        "A_MEAN": str(p50),
        "TOT_EMP": str(employment),
    }


def row(*parts: dict[str, str]) -> dict[str, str]:
    cells = dict.fromkeys(HEADER, "")
    cells.update(CROSS_INDUSTRY)
    for part in parts:
        cells.update(part)
    return cells


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


# A small release: the U.S., a state and a metro for two occupations, plus an industry row.
SMALL = [
    row(US, SOFTWARE, wages(80000, 100000, 130000, 170000, 210000, 1500000)),
    row(WASHINGTON, SOFTWARE, wages(90000, 120000, 160000, 200000, 230000)),
    row(SEATTLE, SOFTWARE, wages(100000, 130000, 170000, 210000, "#")),
    row(US, PROJECTS, wages(60000, 80000, 100000, 130000, 160000)),
    row(SEATTLE, PROJECTS, wages(70000, 95000, 125000, 160000, 200000)),
    row(
        US,
        PROJECTS,
        {"NAICS": "513200", "NAICS_TITLE": "Software Publishers", "I_GROUP": "4-digit"},
        wages(90000, 110000, 130000, 150000, 170000),
    ),
]


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Band, Occupation, Location, Industry, Source, Factor)
    }


def import_small(tmp_path: Path, rows=SMALL, *, release="May 2025", effective_date=MAY_2025):
    path = write_csv(tmp_path / "oews.csv", rows)
    return import_oews_file(path, release=release, effective_date=effective_date)


# --------------------------------------------------------------------------- the shipped extract


def test_shipped_extract_imports_with_official_values_and_again_changes_nothing() -> None:
    first = import_oews_file(SHIPPED, release="May 2025", effective_date=MAY_2025)

    assert first.rows == 9739
    # 147 rows have no annual median ('*'); every other row is one band.
    assert first.skipped_without_median == 147
    assert first.bands == ChangeCounts(created=9592)
    assert Band.objects.count() == 9592
    assert first.occupations.created == 18
    # The nation, 54 states and territories, 528 metro and nonmetro areas.
    assert first.locations.created == 583
    assert Location.objects.get(bls_area_code="99").name == "U.S."
    assert Location.objects.filter(kind="state").count() == 54

    software_us = Band.objects.get(
        occupation__soc_code="15-1252", location__bls_area_code="99", industry=None
    )
    assert software_us.p50 == D("135980")
    assert (software_us.p10, software_us.p25, software_us.p75, software_us.p90) == (
        D("82460"),
        D("105210"),
        D("171980"),
        D("214670"),
    )
    assert software_us.employment == 1687890
    assert software_us.top_coded_from is None
    assert (software_us.role, software_us.level, software_us.currency) == (None, None, "USD")
    assert software_us.effective_date == MAY_2025

    san_francisco = Band.objects.get(
        occupation__soc_code="15-1252", location__bls_area_code="41860"
    )
    assert san_francisco.location.name == "San Francisco-Oakland-Fremont, CA"
    assert san_francisco.location.kind == "metro"
    assert san_francisco.location.parent.name == "California"
    assert san_francisco.p75 == D("219670")

    publishers = Band.objects.get(occupation__soc_code="13-1082", industry__naics_code="513200")
    assert publishers.location.bls_area_code == "99"
    assert publishers.p50 == D("131410")

    # BLS's "Cross-industry, Private Ownership only" reads as what it is in an industry menu.
    assert Industry.objects.get(naics_code="000001").name == "Private sector (all industries)"

    source = Source.objects.get(name=OEWS_SOURCE_NAME, release="May 2025")
    assert source.kind == "official"
    assert source.url == "https://www.bls.gov/oes/"
    assert "not endorsed by BLS" in source.licence
    assert "all experience levels" in source.notes
    assert "239,200" in source.notes

    before = counts()
    again = import_oews_file(SHIPPED, release="May 2025", effective_date=MAY_2025)
    assert again.bands == ChangeCounts(unchanged=9592)
    assert (again.occupations.created, again.occupations.updated) == (0, 0)
    assert (again.locations.created, again.locations.updated) == (0, 0)
    assert (again.industries.created, again.industries.updated) == (0, 0)
    assert not again.changed
    assert counts() == before

    # Location factor for project management in Seattle, from the file's two medians:
    # Seattle-Tacoma-Bellevue 13-1082 median 130,380; U.S. 13-1082 median 102,320;
    # 130,380 / 102,320 = 1.274237… -> 1.2742.
    projects = Occupation.objects.get(soc_code="13-1082")
    assert recompute_location_factors([projects]) > 500
    seattle = Factor.objects.get(
        kind="location", occupation=projects, location__bls_area_code="42660"
    )
    assert seattle.value == D("1.2742")
    assert seattle.basis == "Seattle-Tacoma-Bellevue, WA median 130,380 ÷ U.S. median 102,320"
    assert (seattle.source, seattle.effective_date) == (source, MAY_2025)

    # Industry factor: Software Publishers 13-1082 median 131,410 / 102,320 = 1.284304… -> 1.2843.
    assert recompute_industry_factors([projects]) > 20
    publishers_factor = Factor.objects.get(
        kind="industry", occupation=projects, industry__naics_code="513200"
    )
    assert publishers_factor.value == D("1.2843")
    assert recompute_location_factors([projects]) == 0  # idempotent


# --------------------------------------------------------------------------- small files


def test_a_small_file_creates_places_with_parents_and_industry_bands(tmp_path: Path) -> None:
    result = import_small(tmp_path)

    assert result.bands == ChangeCounts(created=6)
    seattle = Location.objects.get(bls_area_code="42660")
    washington = Location.objects.get(bls_area_code="53")
    nation = Location.objects.get(bls_area_code="99")
    assert (seattle.kind, seattle.parent, seattle.state_code) == ("metro", washington, "WA")
    assert (washington.kind, washington.parent) == ("state", nation)
    assert (seattle.currency, seattle.country) == ("USD", "US")
    industry = Industry.objects.get(naics_code="513200")
    assert industry.name == "Software Publishers"
    assert Band.objects.get(industry=industry).location == nation


def test_a_top_coded_percentile_is_stored_as_the_bound_and_flagged(tmp_path: Path) -> None:
    rows = [row(US, SOFTWARE, wages(150000, 190000, 230000, "#", "#"))]
    import_small(tmp_path, rows)

    band = Band.objects.get()
    assert band.p75 == band.p90 == D("239200")
    assert band.top_coded_from == 75
    assert band.p50 == D("230000")


def test_missing_percentiles_are_empty_and_a_row_without_median_is_skipped(tmp_path: Path) -> None:
    rows = [
        row(US, SOFTWARE, wages("*", 100000, 130000, 170000, "*", "**")),
        row(US, PROJECTS, wages("*", "*", "*", "*", "*")),
    ]
    result = import_small(tmp_path, rows)

    assert result.skipped_without_median == 1
    band = Band.objects.get()
    assert (band.p10, band.p90, band.employment) == (None, None, None)


def test_reimport_of_a_corrected_file_updates_only_the_changed_band(tmp_path: Path) -> None:
    import_small(tmp_path)
    corrected = [*SMALL]
    corrected[1] = row(WASHINGTON, SOFTWARE, wages(90000, 120000, 161000, 200000, 230000))

    result = import_small(tmp_path, corrected)

    assert result.bands == ChangeCounts(updated=1, unchanged=5)
    band = Band.objects.get(location__bls_area_code="53")
    assert band.p50 == D("161000")
    assert band.history.first().history_type == "~"
    assert band.history.last().history_type == "+"


def test_a_newer_release_adds_bands_beside_the_older_ones(tmp_path: Path) -> None:
    import_small(tmp_path)
    newer = [row(US, SOFTWARE, wages(85000, 105000, 140000, 175000, 215000))]

    result = import_small(
        tmp_path, newer, release="May 2026", effective_date=datetime.date(2026, 5, 1)
    )

    assert result.bands == ChangeCounts(created=1)
    us_software = Band.objects.filter(
        occupation__soc_code="15-1252", location__bls_area_code="99"
    ).order_by("effective_date")
    assert [(b.effective_date, b.p50) for b in us_software] == [
        (MAY_2025, D("130000")),
        (datetime.date(2026, 5, 1), D("140000")),
    ]
    assert Band.objects.count() == 7


def test_the_same_release_with_another_date_is_refused(tmp_path: Path) -> None:
    import_small(tmp_path)
    before = counts()
    with pytest.raises(OewsLoadError, match="already stored with effective date 2025-05-01"):
        import_small(tmp_path, effective_date=datetime.date(2025, 6, 1))
    assert counts() == before


def test_queries_do_not_grow_with_rows(tmp_path: Path) -> None:
    def queries_for(n_areas: int, release: str, first_code: int) -> int:
        rows = [row(US, SOFTWARE, wages(80000, 100000, 130000, 170000, 210000))]
        for i in range(n_areas):
            area = {
                "AREA": f"{first_code + i}",
                "AREA_TITLE": f"Area {first_code + i}, WA",
                "AREA_TYPE": "4",
                "PRIM_STATE": "WA",
            }
            rows.append(row(area, SOFTWARE, wages(80000, 100000, 130000 + i, 170000, 210000)))
        path = write_csv(tmp_path / f"{release}.csv", rows)
        with CaptureQueriesContext(connection) as ctx:
            import_oews_file(path, release=release, effective_date=MAY_2025)
        return len(ctx.captured_queries)

    queries_for(0, "warm-up", 10000)  # creates the nation and the occupation
    # Every area and band is new in both; 300 rows still fit in one batch of each kind.
    assert queries_for(3, "a", 10000) == queries_for(300, "b", 20000)


def test_xlsx_files_are_imported(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in SMALL[:3]:
        # Spreadsheets carry numbers as numbers and drop the zeros of "000000".
        ws.append(
            [
                int(v) if v.isdigit() and name not in ("NAICS",) else (0 if v == "000000" else v)
                for name, v in ((name, r[name]) for name in HEADER)
            ]
        )
    path = tmp_path / "all_data_M_2025.xlsx"
    wb.save(path)

    result = import_oews_file(path, release="May 2025", effective_date=MAY_2025)

    assert result.bands == ChangeCounts(created=3)
    band = Band.objects.get(location__bls_area_code="42660")
    assert (band.p50, band.p90, band.top_coded_from) == (D("170000"), D("239200"), 90)


# --------------------------------------------------------------------------- broken files


def broken_rows() -> list[dict[str, str]]:
    rows = [*SMALL]
    rows[1] = row(WASHINGTON, SOFTWARE, wages(90000, 120000, "lots", 200000, 230000))  # line 3
    rows[3] = row(US, PROJECTS, wages(60000, 80000, 100000, 90000, 160000))  # line 5
    return rows


def test_a_broken_file_is_rejected_whole_with_its_row_numbers(tmp_path: Path) -> None:
    import_small(tmp_path)  # something already stored must stay as it was
    before = counts()
    path = write_csv(tmp_path / "broken.csv", broken_rows())

    with pytest.raises(OewsFormatError) as caught:
        import_oews_file(path, release="May 2025", effective_date=MAY_2025)

    assert [e.line for e in caught.value.errors] == [3, 5]
    assert "A_MEDIAN: 'lots' is not a number" in caught.value.errors[0].message
    assert "out of order" in caught.value.errors[1].message
    assert counts() == before


def test_the_command_lists_each_bad_row_and_fails(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "oews-may2025-broken.csv", broken_rows())
    err = StringIO()

    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_oews", str(path), stderr=err, stdout=StringIO())

    assert "line 3: A_MEDIAN" in err.getvalue()
    assert "line 5: percentiles out of order" in err.getvalue()
    assert Band.objects.count() == Source.objects.count() == 0


def test_an_unknown_area_type_is_a_row_error(tmp_path: Path) -> None:
    rows = [
        row(US, SOFTWARE, wages(1, 2, 3, 4, 5)),
        row(US, PROJECTS, {"AREA_TYPE": "7"}, wages(1, 2, 3, 4, 5)),
    ]
    with pytest.raises(OewsFormatError, match="line 3: AREA_TYPE: 7 is not a known area type"):
        import_small(tmp_path, rows)
    assert counts()["Band"] == 0


# --------------------------------------------------------------------------- the command


def test_the_command_infers_the_release_imports_and_computes_factors(tmp_path: Path) -> None:
    RoleFactory()  # stands on 13-1082, so its location factors are computed
    path = write_csv(tmp_path / "oews-may2025-tech.csv", SMALL)
    out, err = StringIO(), StringIO()

    call_command("import_oews", str(path), "--progress-every", "2", stdout=out, stderr=err)

    source = Source.objects.get(name=OEWS_SOURCE_NAME)
    assert (source.release, source.effective_date) == ("May 2025", MAY_2025)
    assert Band.objects.count() == 6
    assert "bands: 6 created, 0 updated, 0 unchanged" in out.getvalue()
    assert "Read 2 of 6 rows (33%)" in err.getvalue()
    assert "Saved 6 of 6 bands (100%)" in err.getvalue()
    # Seattle 125,000 / U.S. 100,000 = 1.25 for project management; 130,000 / 100,000 = 1.3
    # for Software Publishers.
    factor = Factor.objects.get(kind="location", location__bls_area_code="42660")
    assert factor.value == D("1.2500")
    assert Factor.objects.get(kind="industry").value == D("1.3000")
    assert "1 location and 1 industry factors" in out.getvalue()


def test_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "oews.csv", SMALL)
    out = StringIO()

    call_command(
        "import_oews",
        str(path),
        "--release",
        "May 2025",
        "--dry-run",
        stdout=out,
        stderr=StringIO(),
    )

    assert "Dry run: nothing was written" in out.getvalue()
    assert "bands: 6 created" in out.getvalue()
    assert counts() == dict.fromkeys(counts(), 0)


def test_the_command_needs_a_release_it_can_tell(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "wages.csv", SMALL)
    with pytest.raises(CommandError, match="--release"):
        call_command("import_oews", str(path), stdout=StringIO(), stderr=StringIO())
    call_command(
        "import_oews",
        str(path),
        "--effective-date",
        "2024-05-01",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert Source.objects.get().release == "May 2024"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("oews-may2025-tech.csv", ("May 2025", datetime.date(2025, 5, 1))),
        ("all_data_M_2024.xlsx", ("May 2024", datetime.date(2024, 5, 1))),
        ("oesm23all.zip", ("May 2023", datetime.date(2023, 5, 1))),
        ("OEWS_November_2019.csv", ("November 2019", datetime.date(2019, 11, 1))),
        ("wages.csv", None),
    ],
)
def test_release_from_filename(name: str, expected) -> None:
    assert release_from_filename(name) == expected


def test_release_from_label() -> None:
    assert release_from_label("May 2025") == datetime.date(2025, 5, 1)
    assert release_from_label("2025") is None
