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
# BLS's full layout: OWN_CODE repeats, '#' above exact values over 239,200, HOURLY/ANNUAL rows.
FULL = Path(__file__).resolve().parent / "data" / "all_data_M_2025.csv"
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
    assert source.top_coding_bound == D("239200")

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


# --------------------------------------------------------------------------- BLS's full layout


def full_bands() -> dict[tuple[str, str, str | None], tuple]:
    """(occupation, area, NAICS) -> (p10, p25, p50, p75, p90, top-coded from, employment)."""
    return {
        (b.occupation.soc_code, b.location.bls_area_code, b.industry and b.industry.naics_code): (
            b.p10,
            b.p25,
            b.p50,
            b.p75,
            b.p90,
            b.top_coded_from,
            b.employment,
        )
        for b in Band.objects.select_related("occupation", "location", "industry")
    }


# Worked out by hand from tests/data/all_data_M_2025.csv with the 239,200 bound.
FULL_BANDS = {
    # p75 245,000 published (above the bound, exact); p90 '#': at least 245,000.
    ("11-1011", "99", None): (
        D("98120"), D("152400"), D("206420"), D("245000"), D("245000"), 90, 211230
    ),
    # '#' throughout: the bound from the 10th percentile up.
    ("29-1212", "99", None): (*[D("239200")] * 5, 10, 22870),
    # ANNUAL=TRUE: annual wages only, imported as usual.
    ("25-2021", "99", None): (
        D("45460"), D("53560"), D("63680"), D("79910"), D("101480"), None, 1385520
    ),
    # Private employers only (OWN_CODE 5) is its own industry, 000001: p90 '#' over 246,100.
    ("11-1011", "99", "000001"): (
        D("97000"), D("150900"), D("206000"), D("246100"), D("246100"), 90, 196510
    ),
    # Printed for OWN_CODE 5, 1235 and 3 (in that order): the every-employer row, 1235.
    ("15-1252", "99", "611000"): (
        D("65000"), D("80000"), D("95000"), D("115000"), D("135000"), None, 12340
    ),
    # '*' percentiles are empty; '**' employment is empty.
    ("13-1082", "06", None): (None, D("98330"), D("126250"), D("158900"), None, None, None),
    # Median 241,300 published; p75 and p90 '#': at least 241,300, top-coded from the 75th.
    ("11-1011", "42660", None): (
        D("118000"), D("181500"), D("241300"), D("241300"), D("241300"), 75, 3120
    ),
}  # fmt: skip


def test_the_full_bls_layout_imports_with_hash_above_the_bound_and_one_row_per_cell() -> None:
    result = import_oews_file(FULL, release="May 2025", effective_date=MAY_2025)

    assert result.rows == 11
    assert result.bands == ChangeCounts(created=7)
    assert full_bands() == FULL_BANDS
    assert result.skipped_hourly_only == 1  # 27-2011 Actors, HOURLY=TRUE
    assert result.skipped_narrower_ownership == 2  # 15-1252 in 611000, OWN_CODE 5 and 3
    assert result.skipped_without_median == 1  # 13-1082 U.S., '*' throughout
    assert result.duplicate_lines == ()
    assert "skipped (BLS publishes hourly wages only): 1" in result.summary()
    assert "skipped (a row covering more ownerships gives the same cell): 2" in result.summary()
    assert "top-coding bound: 239,200 a year" in result.summary()
    # The hourly-only occupation is known, without a band.
    assert Occupation.objects.filter(soc_code="27-2011").exists()

    source = Source.objects.get(name=OEWS_SOURCE_NAME, release="May 2025")
    assert source.top_coding_bound == D("239200")
    assert "this release: $239,200 a year" in source.notes
    assert "highest exact percentile below it" in source.notes

    again = import_oews_file(FULL, release="May 2025", effective_date=MAY_2025)
    assert again.bands == ChangeCounts(unchanged=7)


def test_ownership_rows_are_chosen_whatever_their_order(tmp_path: Path) -> None:
    header, *lines = FULL.read_text().splitlines()
    reversed_file = tmp_path / "all_data_M_2025.csv"
    reversed_file.write_text("\n".join([header, *reversed(lines)]) + "\n")

    result = import_oews_file(reversed_file, release="May 2025", effective_date=MAY_2025)

    assert result.skipped_narrower_ownership == 2
    assert full_bands() == FULL_BANDS


def test_a_cell_repeated_with_the_same_ownership_keeps_the_first_row(tmp_path: Path) -> None:
    header, *lines = FULL.read_text().splitlines()
    software_all = lines[6]  # 15-1252 in 611000, OWN_CODE 1235
    path = tmp_path / "all_data_M_2025.csv"
    path.write_text("\n".join([header, software_all, software_all.replace("12,340", "1")]) + "\n")

    result = import_oews_file(path, release="May 2025", effective_date=MAY_2025)

    assert result.duplicate_lines == (3,)
    assert Band.objects.get().employment == 12340


def test_a_narrower_ownership_never_stands_in_for_an_unpublished_cell(tmp_path: Path) -> None:
    header, *lines = FULL.read_text().splitlines()
    private, every_employer = lines[5], lines[6]  # 15-1252 in 611000, OWN_CODE 5 and 1235
    unpublished = every_employer.replace('"95,000"', "*")
    path = tmp_path / "all_data_M_2025.csv"
    path.write_text("\n".join([header, private, unpublished]) + "\n")

    result = import_oews_file(path, release="May 2025", effective_date=MAY_2025)

    assert (result.skipped_without_median, result.skipped_narrower_ownership) == (1, 1)
    assert Band.objects.count() == 0


def test_another_bound_applies_to_every_hash_of_the_release() -> None:
    import_oews_file(
        FULL, release="May 2025", effective_date=MAY_2025, top_coding_bound=D("250000")
    )

    bands = full_bands()
    assert bands[("29-1212", "99", None)][:5] == (D("250000"),) * 5
    # 245,000 published, then '#': at least the larger, now the bound.
    assert bands[("11-1011", "99", None)][3:6] == (D("245000"), D("250000"), 90)
    assert bands[("11-1011", "42660", None)][2:6] == (D("241300"), D("250000"), D("250000"), 75)
    source = Source.objects.get()
    assert source.top_coding_bound == D("250000")
    assert "this release: $250,000 a year" in source.notes


def test_a_stored_bound_is_used_when_none_is_given(tmp_path: Path) -> None:
    import_small(tmp_path)  # stores the May 2025 footnote's 239,200
    Source.objects.update(top_coding_bound=D("240000"))  # as an admin would correct it

    result = import_small(tmp_path)

    assert result.top_coding_bound == D("240000")
    band = Band.objects.get(location__bls_area_code="42660", occupation__soc_code="15-1252")
    assert (band.p75, band.p90, band.top_coded_from) == (D("210000"), D("240000"), 90)


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


def test_the_command_imports_the_full_bls_layout_and_stores_the_bound() -> None:
    out = StringIO()

    call_command(
        "import_oews", str(FULL), "--top-coding-bound", "239,200", stdout=out, stderr=StringIO()
    )

    source = Source.objects.get(name=OEWS_SOURCE_NAME)
    assert (source.release, source.effective_date) == ("May 2025", MAY_2025)
    assert source.top_coding_bound == D("239200")
    assert full_bands() == FULL_BANDS
    assert "bands: 7 created, 0 updated, 0 unchanged" in out.getvalue()
    assert "skipped (BLS publishes hourly wages only): 1" in out.getvalue()

    # Another bound for the release replaces the stored one; without the option it stays.
    call_command(
        "import_oews",
        str(FULL),
        "--top-coding-bound",
        "250000",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    out = StringIO()
    call_command("import_oews", str(FULL), stdout=out, stderr=StringIO())
    assert Source.objects.get().top_coding_bound == D("250000")
    assert "bands: 0 created, 0 updated, 7 unchanged" in out.getvalue()
    assert full_bands()[("29-1212", "99", None)][0] == D("250000")


def test_the_command_refuses_a_bound_that_is_not_an_amount() -> None:
    with pytest.raises(CommandError, match="top-coding-bound"):
        call_command(
            "import_oews",
            str(FULL),
            "--top-coding-bound",
            "lots",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert Source.objects.count() == 0


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
