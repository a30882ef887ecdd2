"""BLS OEWS importer: the shipped extract, BLS's full-file variants, and broken files."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from benchmarks.importers.oews import (
    REQUIRED_COLUMNS,
    TOP_CODED_ANNUAL,
    OewsFormatError,
    OewsRow,
    RowError,
    WageValue,
    count_data_rows,
    ownership_rank,
    parse_oews,
    read_oews,
    resolve_top_coding,
)

D = Decimal
SHIPPED = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "oews-may2025-tech.csv"
# A few rows in BLS's full "all data" layout (lower-case headers, OWN_CODE, PCT_TOTAL, PCT_RPT,
# hourly columns, ANNUAL, HOURLY, thousands separators, '*', '**' and '#').
FULL = Path(__file__).resolve().parent / "data" / "all_data_M_2025.csv"

# Header and one valid row in the shipped extract's column layout.
HEADER = (
    "AREA,AREA_TITLE,AREA_TYPE,PRIM_STATE,NAICS,NAICS_TITLE,I_GROUP,OCC_CODE,OCC_TITLE,O_GROUP,"
    "TOT_EMP,EMP_PRSE,JOBS_1000,LOC_QUOTIENT,H_MEAN,A_MEAN,MEAN_PRSE,H_PCT10,H_PCT25,H_MEDIAN,"
    "H_PCT75,H_PCT90,A_PCT10,A_PCT25,A_MEDIAN,A_PCT75,A_PCT90"
)
SD_US = (
    '99,U.S.,1,US,000000,"Cross-Industry, Private, Federal, State, and Local",cross-industry,'
    "15-1252,Software Developers,detailed,1687890,0.6,**,**,71.20,148100,0.4,"
    "39.64,50.58,65.38,82.68,103.21,82460,105210,135980,171980,214670"
)


def _row(**overrides: str) -> str:
    """SD_US with some columns replaced (by upper-case column name)."""
    names = HEADER.split(",")
    cells = next(csv.reader([SD_US]))
    for name, value in overrides.items():
        cells[names.index(name)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def _write(tmp_path: Path, *lines: str, name: str = "oews.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding, newline="")
    return path


# --------------------------------------------------------------------------- shipped extract


@pytest.fixture(scope="module")
def shipped_rows() -> list[OewsRow]:
    return parse_oews(SHIPPED)


def _find(rows: list[OewsRow], area: str, occ: str, naics: str = "000000") -> OewsRow:
    (row,) = [r for r in rows if r.area_code == area and r.occ_code == occ and r.naics == naics]
    return row


def test_shipped_file_parses_every_row(shipped_rows: list[OewsRow]) -> None:
    assert len(shipped_rows) == 9739
    assert [r.line for r in shipped_rows] == list(range(2, 9741))
    assert count_data_rows(SHIPPED) == 9739


def test_shipped_software_developers_us_median(shipped_rows: list[OewsRow]) -> None:
    row = _find(shipped_rows, "99", "15-1252")
    assert row.area_title == "U.S."
    assert row.area_type == 1
    assert row.prim_state == "US"
    assert row.naics_title == "Cross-Industry, Private, Federal, State, and Local"
    assert row.occ_title == "Software Developers"
    assert row.o_group == "detailed"
    assert row.total_employment == 1687890
    assert row.annual_median == WageValue(D("135980"))
    assert row.annual_p10.amount == D("82460")
    assert row.annual_p90.amount == D("214670")
    assert row.annual_mean.amount == D("148100")
    assert isinstance(row.annual_median.amount, Decimal)


def test_shipped_san_francisco_p75(shipped_rows: list[OewsRow]) -> None:
    # 41860 = San Francisco-Oakland-Fremont, CA (metro CBSA code)
    row = _find(shipped_rows, "41860", "15-1252")
    assert row.area_title == "San Francisco-Oakland-Fremont, CA"
    assert row.area_type == 4
    assert row.annual_p75 == WageValue(D("219670"))


def test_shipped_codes_keep_leading_zeros(shipped_rows: list[OewsRow]) -> None:
    widths = {1: {2}, 2: {2}, 4: {5}, 6: {7}}
    for row in shipped_rows:
        assert len(row.area_code) in widths[row.area_type], row
    assert {"000000", "000001", "52", "31-33", "541500"} <= {r.naics for r in shipped_rows}
    assert "0100001" in {r.area_code for r in shipped_rows}  # nonmetro area, leading zero kept
    assert "06" in {r.area_code for r in shipped_rows}  # California


def test_shipped_special_values(shipped_rows: list[OewsRow]) -> None:
    with SHIPPED.open(encoding="utf-8", newline="") as fh:
        by_line = dict(enumerate(csv.DictReader(fh), start=2))
    for row in shipped_rows:
        cells = by_line[row.line]
        assert (row.total_employment is None) == (cells["TOT_EMP"] == "**")
        assert (row.annual_median.amount is None) == (cells["A_MEDIAN"] == "*")
        # Top-coded exactly where BLS printed '#' (the May 2025 extract happens to have none).
        for wage, column in [(row.annual_p90, "A_PCT90"), (row.annual_p75, "A_PCT75")]:
            assert wage.top_coded == (cells[column] == "#")
    assert any(r.total_employment is None for r in shipped_rows)
    assert any(r.annual_median.amount is None for r in shipped_rows)


# --------------------------------------------------------------------------- CSV variants


def test_thousands_separators(tmp_path: Path) -> None:
    line = _row(TOT_EMP="1,687,890", A_PCT10="82,460", A_MEDIAN="135,980", A_PCT90="214,670")
    (row,) = parse_oews(_write(tmp_path, HEADER, line))
    assert row.total_employment == 1687890
    assert row.annual_p10.amount == D("82460")
    assert row.annual_median.amount == D("135980")
    assert row.annual_p90.amount == D("214670")


def test_star_and_double_star_are_missing(tmp_path: Path) -> None:
    line = _row(
        TOT_EMP="**", A_PCT10="*", A_PCT25="*", A_MEDIAN="*", A_PCT75="*", A_PCT90="*", A_MEAN="**"
    )
    (row,) = parse_oews(_write(tmp_path, HEADER, line))
    assert row.total_employment is None
    for wage in (row.annual_p10, row.annual_median, row.annual_p90, row.annual_mean):
        assert wage == WageValue(None)
        assert not wage.top_coded


def test_hash_is_a_top_coded_lower_bound(tmp_path: Path) -> None:
    line = _row(A_PCT75="#", A_PCT90="#")
    (row,) = parse_oews(_write(tmp_path, HEADER, line))
    assert row.annual_p90 == WageValue(TOP_CODED_ANNUAL, top_coded=True)
    assert row.annual_p90.amount == D("239200")
    assert row.annual_p75.top_coded
    assert not row.annual_p75.is_exact
    assert row.annual_median == WageValue(D("135980"))  # untouched


def test_a_hash_above_an_exact_value_over_the_bound_is_at_least_that_value(
    tmp_path: Path,
) -> None:
    # BLS's May 2025 files do this for chief executives: p75 published as 250,000, above the
    # stated 239,200, then p90 '#'. p90 is at least 250,000, not 239,200.
    (row,) = parse_oews(_write(tmp_path, HEADER, _row(A_PCT75="250000", A_PCT90="#")))
    assert row.annual_p75 == WageValue(D("250000"))
    assert row.annual_p90 == WageValue(D("250000"), top_coded=True)


def test_an_exact_value_at_the_bound_may_precede_a_top_coded_one(tmp_path: Path) -> None:
    (row,) = parse_oews(_write(tmp_path, HEADER, _row(A_PCT75="239200", A_PCT90="#")))
    assert row.annual_p75 == WageValue(D("239200"))
    assert row.annual_p90.top_coded


def test_an_exact_value_above_a_hash_but_below_its_bound_becomes_that_bound(
    tmp_path: Path,
) -> None:
    # p75 '#' means p75 >= 239,200, so p90 >= 239,200 too: BLS's exact 214,670 contradicts it,
    # and p90 is read as at least 239,200 rather than the row being refused.
    (row,) = parse_oews(_write(tmp_path, HEADER, _row(A_PCT75="#")))
    assert row.annual_p75 == WageValue(D("239200"), top_coded=True)
    assert row.annual_p90 == WageValue(D("239200"), top_coded=True)
    assert row.annual_median == WageValue(D("135980"))


def test_a_row_that_is_hash_throughout_is_the_bound_from_the_10th(tmp_path: Path) -> None:
    hashes = dict.fromkeys(("A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "A_MEAN"), "#")
    (row,) = parse_oews(_write(tmp_path, HEADER, _row(**hashes)))
    for wage in row.annual_percentiles.values():
        assert wage == WageValue(D("239200"), top_coded=True)


def test_the_release_bound_is_a_keyword(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, _row(A_PCT75="#", A_PCT90="#"))
    (row,) = parse_oews(path, top_coding_bound=D("208000"))
    # The highest exact value below them is the median, 135,980: the bound, 208,000, is higher.
    assert row.annual_p75 == row.annual_p90 == WageValue(D("208000"), top_coded=True)
    (row,) = parse_oews(path, top_coding_bound=D("100000"))
    # A bound below the exact median: '#' is at least the median, 135,980.
    assert row.annual_p75 == WageValue(D("135980"), top_coded=True)


EXACT = WageValue
HASH = WageValue(D("1"), top_coded=True)  # whatever amount the '#' had before resolving
MISSING = WageValue(None)


@pytest.mark.parametrize(
    ("wages", "expected"),
    [
        # Exact values only: unchanged, whatever their order (order is checked elsewhere).
        ([EXACT(D(1)), EXACT(D(3)), EXACT(D(2))], [EXACT(D(1)), EXACT(D(3)), EXACT(D(2))]),
        # '#' over exact values below the bound: the bound.
        ([EXACT(D(100)), HASH], [EXACT(D(100)), WageValue(D(239200), True)]),
        # Highest exact value below it is higher than the bound: that value.
        ([EXACT(D(245000)), HASH, HASH], [EXACT(D(245000)), *[WageValue(D(245000), True)] * 2]),
        # Missing cells are skipped over, never raise or lower a floor.
        (
            [EXACT(D(250000)), MISSING, HASH],
            [EXACT(D(250000)), MISSING, WageValue(D(250000), True)],
        ),
        # An exact value over a '#' keeps its value when it reaches the '#' cell's lower bound...
        (
            [HASH, EXACT(D(260000)), HASH],
            [WageValue(D(239200), True), EXACT(D(260000)), WageValue(D(260000), True)],
        ),
        # ...and becomes that lower bound when it does not.
        ([HASH, EXACT(D(200000))], [WageValue(D(239200), True), WageValue(D(239200), True)]),
    ],
)
def test_resolve_top_coding(wages: list[WageValue], expected: list[WageValue]) -> None:
    assert resolve_top_coding(wages, D("239200")) == expected


def test_ownership_rank_puts_every_employer_first() -> None:
    assert ownership_rank("1235") == ownership_rank("") == 0
    assert ownership_rank("1235") < ownership_rank("235") < ownership_rank("5")
    assert ownership_rank("5") < ownership_rank("3") < ownership_rank("42")


# --------------------------------------------------------------------------- BLS full layout


def test_full_bls_file_reads_ownership_hourly_and_hash_cells() -> None:
    rows = parse_oews(FULL)
    assert [r.line for r in rows] == list(range(2, 13))
    assert [r.own_code for r in rows] == [
        "1235", "1235", "1235", "1235", "5", "5", "1235", "3", "1235", "1235", "1235"
    ]  # fmt: skip
    assert [r.hourly_only for r in rows] == [False, False, True, *[False] * 8]

    chief_executives = rows[0]  # 11-1011, U.S.: p75 245,000 published, p90 '#'
    assert chief_executives.occ_code == "11-1011"
    assert chief_executives.total_employment == 211230
    assert chief_executives.annual_p75 == WageValue(D("245000"))
    assert chief_executives.annual_p90 == WageValue(D("245000"), top_coded=True)
    assert chief_executives.annual_mean == WageValue(D("262930"))  # exact, above the bound

    cardiologists = rows[1]  # '#' throughout
    assert set(cardiologists.annual_percentiles.values()) == {WageValue(D("239200"), True)}

    actors = rows[2]  # HOURLY=TRUE: annual cells '*' and an empty mean
    assert actors.annual_median == actors.annual_mean == WageValue(None)

    teachers = rows[3]  # ANNUAL=TRUE: annual wages as usual
    assert teachers.annual_median == WageValue(D("63680"))
    assert not teachers.hourly_only

    california = rows[8]
    assert (california.area_code, california.total_employment) == ("06", None)
    assert california.annual_p10 == california.annual_p90 == WageValue(None)
    assert california.annual_p25 == WageValue(D("98330"))

    seattle = rows[9]  # median 241,300 published, p75 and p90 '#'
    assert seattle.annual_p75 == seattle.annual_p90 == WageValue(D("241300"), top_coded=True)


def test_full_bls_columns_in_another_order_with_lower_case_headers(tmp_path: Path) -> None:
    header = (
        "occ_code,own_code,area,area_title,area_type,prim_state,naics,naics_title,i_group,"
        "occ_title,o_group,tot_emp,pct_total,pct_rpt,a_pct90,a_pct75,a_median,a_pct25,a_pct10,"
        "a_mean,h_mean,annual,hourly"
    )
    line = (
        "15-1252,1235,6,California,2,CA,0,Cross-industry,cross-industry,Software Developers,"
        'detailed,"359,510",~,~,"273,400",219670,186640,163500,128090,193430,93.00,,'
    )
    (row,) = parse_oews(_write(tmp_path, header, line))
    assert row.area_code == "06"  # state FIPS padded because AREA_TYPE is 2
    assert row.naics == "000000"
    assert row.occ_code == "15-1252"
    assert row.total_employment == 359510
    assert row.annual_p10.amount == D("128090")
    assert row.annual_p90.amount == D("273400")
    assert row.annual_mean.amount == D("193430")


def test_old_occ_group_header_is_accepted(tmp_path: Path) -> None:
    (row,) = parse_oews(_write(tmp_path, HEADER.replace("O_GROUP", "OCC_GROUP"), SD_US))
    assert row.o_group == "detailed"


def test_utf8_bom_is_ignored(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, SD_US, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    (row,) = parse_oews(path)
    assert row.area_code == "99"


def test_binary_upload_with_bom_and_filename(tmp_path: Path) -> None:
    data = ("\ufeff" + HEADER + "\r\n" + SD_US + "\r\n").encode()
    upload = io.BytesIO(data)
    (row,) = parse_oews(upload, filename="May 2025.CSV")
    assert row.annual_median.amount == D("135980")
    assert not upload.closed  # the caller owns the file


def test_text_file_object(tmp_path: Path) -> None:
    (row,) = parse_oews(io.StringIO(HEADER + "\n" + SD_US + "\n"), filename="x.csv")
    assert row.occ_code == "15-1252"


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, SD_US, "", _row(AREA="41860", AREA_TYPE="4"))
    rows = parse_oews(path)
    assert [r.line for r in rows] == [2, 4]


# --------------------------------------------------------------------------- XLSX


def _xlsx(tmp_path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    notes = wb.active
    notes.title = "Field Descriptions"  # BLS workbooks carry a notes sheet; must be skipped
    notes.append(["Field", "Field Description"])
    notes.append(["area", "U.S. (99), state FIPS code, ..."])
    ws = wb.create_sheet("All May 2025 data")
    ws.append(header)
    for r in rows:
        ws.append(r)
    path = tmp_path / "all_data_M_2025.xlsx"
    wb.save(path)
    return path


XLSX_HEADER = [c.lower() for c in REQUIRED_COLUMNS] + ["own_code", "annual", "hourly"]


def _xlsx_row(area: object, area_type: int, naics: object, **wages: object) -> list[object]:
    values = {
        "a_pct10": 82460,
        "a_pct25": 105210.0,
        "a_median": "135,980",
        "a_pct75": 171980,
        "a_pct90": "#",
        "a_mean": 148100,
        **wages,
    }
    return [
        area,
        "Somewhere",
        area_type,
        "CA",
        naics,
        "Cross-industry",
        "cross-industry",
        "15-1252",
        "Software Developers",
        "detailed",
        1687890.0,
        values["a_pct10"],
        values["a_pct25"],
        values["a_median"],
        values["a_pct75"],
        values["a_pct90"],
        values["a_mean"],
        1235,
        None,
        None,
    ]


def test_xlsx_with_numeric_codes(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        XLSX_HEADER,
        [
            _xlsx_row(99.0, 1, 0),
            _xlsx_row(6, 2, 0.0),
            _xlsx_row(41860, 4, 1),
            _xlsx_row(100001, 6, 52, a_pct10="*", a_mean="*"),
            [],  # blank spreadsheet row
            _xlsx_row("06", 2, "000000"),
            ["Footnotes:"],
            ["(1) Estimates for detailed occupations do not sum to the totals."],
        ],
    )
    rows = parse_oews(path)
    assert [r.area_code for r in rows] == ["99", "06", "41860", "0100001", "06"]
    assert [r.naics for r in rows] == ["000000", "000000", "000001", "52", "000000"]
    assert [r.line for r in rows] == [2, 3, 4, 5, 7]  # spreadsheet row numbers
    first = rows[0]
    assert first.total_employment == 1687890
    assert first.annual_p10.amount == D("82460")
    assert first.annual_p25.amount == D("105210")
    assert first.annual_median.amount == D("135980")
    assert first.annual_p90 == WageValue(TOP_CODED_ANNUAL, top_coded=True)
    assert rows[3].annual_p10 == WageValue(None)
    assert rows[3].annual_mean == WageValue(None)
    assert count_data_rows(path) >= 5


def test_xlsx_file_object_and_row_errors(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        XLSX_HEADER,
        [_xlsx_row(99, 1, 0), _xlsx_row(99, 1, 0, a_median=-5), _xlsx_row(99, 1, 0, a_pct25=1)],
    )
    with path.open("rb") as fh:
        items = list(read_oews(fh, filename="upload.xlsx"))
    assert isinstance(items[0], OewsRow)
    assert items[1] == RowError(3, "A_MEDIAN: '-5' is negative")
    assert isinstance(items[2], RowError)
    assert items[2].line == 4
    assert "A_PCT25 (1) is below A_PCT10 (82460)" in items[2].message


def test_xlsx_missing_columns(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [c for c in XLSX_HEADER if c != "a_median"], [])
    with pytest.raises(OewsFormatError) as exc:
        parse_oews(path)
    assert exc.value.errors == [RowError(1, "missing required column(s): A_MEDIAN")]


# --------------------------------------------------------------------------- broken files


def test_broken_file_reports_every_bad_row_and_returns_nothing(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER,
        SD_US,  # line 2 fine
        _row(A_MEDIAN="abc"),  # line 3
        SD_US,  # line 4 fine
        _row(A_PCT25="60000", A_PCT10="90000"),  # line 5: p25 below p10
    )
    with pytest.raises(OewsFormatError) as exc:
        parse_oews(path)
    errors = exc.value.errors
    assert [e.line for e in errors] == [3, 5]
    assert errors[0].message == "A_MEDIAN: 'abc' is not a number"
    assert "A_PCT25 (60000) is below A_PCT10 (90000)" in errors[1].message
    assert "line 3: A_MEDIAN: 'abc' is not a number" in str(exc.value)
    assert "line 5" in str(exc.value)


def test_read_oews_streams_rows_and_errors_in_order(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, SD_US, _row(A_MEDIAN="abc"), SD_US)
    kinds = [type(item) for item in read_oews(path)]
    assert kinds == [OewsRow, RowError, OewsRow]


def test_several_problems_in_one_row_are_reported_together(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, _row(TOT_EMP="-3", A_PCT90="1.2.3"))
    (item,) = read_oews(path)
    assert isinstance(item, RowError)
    assert "TOT_EMP: '-3' is negative" in item.message
    assert "A_PCT90: '1.2.3' is not a number" in item.message


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"A_PCT10": "-1"}, "A_PCT10: '-1' is negative"),
        ({"A_MEAN": "12,34"}, "A_MEAN: '12,34' is not a number"),
        ({"TOT_EMP": "12.5"}, "TOT_EMP: '12.5' is not a whole number"),
        ({"AREA_TYPE": "state"}, "AREA_TYPE: 'state' is not a number"),
        ({"AREA": ""}, "AREA: is empty"),
        ({"OCC_CODE": ""}, "OCC_CODE: is empty"),
        ({"A_PCT10": "0", "A_PCT25": "0", "A_MEDIAN": "0"}, "A_MEDIAN: 0 is not a wage"),
    ],
)
def test_bad_cells(tmp_path: Path, overrides: dict[str, str], message: str) -> None:
    (item,) = read_oews(_write(tmp_path, HEADER, _row(**overrides)))
    assert item == RowError(2, message)


def test_out_of_order_ignores_missing_values(tmp_path: Path) -> None:
    # p25 missing: p10 90,000 is compared with the median 135,980, which is fine.
    (row,) = parse_oews(_write(tmp_path, HEADER, _row(A_PCT10="90000", A_PCT25="*")))
    assert row.annual_p25.amount is None


def test_truncated_row(tmp_path: Path) -> None:
    (item,) = read_oews(_write(tmp_path, HEADER, "99,U.S.,1,US"))
    assert item == RowError(2, "expected 27 columns, found 4")


def test_missing_columns_are_named(tmp_path: Path) -> None:
    header = HEADER.replace(",A_MEDIAN", "").replace("PRIM_STATE,", "")
    with pytest.raises(OewsFormatError) as exc:
        parse_oews(_write(tmp_path, header))
    (error,) = exc.value.errors
    assert error.line == 1
    assert "PRIM_STATE" in error.message
    assert "A_MEDIAN" in error.message


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(OewsFormatError, match="empty"):
        parse_oews(_write(tmp_path, ""))


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER)
    assert parse_oews(path) == []
    assert count_data_rows(path) == 0


@pytest.mark.parametrize("name", ["oews.xls", "oews.json", "oews"])
def test_unsupported_file_types(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(HEADER)
    with pytest.raises(OewsFormatError) as exc:
        parse_oews(path)
    assert exc.value.errors[0].line == 0
    assert isinstance(exc.value, ValueError)


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "oews.xlsx"
    path.write_text(HEADER)
    with pytest.raises(OewsFormatError, match="unreadable XLSX"):
        parse_oews(path)


def test_non_utf8_csv(tmp_path: Path) -> None:
    path = tmp_path / "oews.csv"
    path.write_bytes((HEADER + "\n" + _row(AREA_TITLE="Mayagüez, PR") + "\n").encode("latin-1"))
    with pytest.raises(OewsFormatError, match="UTF-8"):
        parse_oews(path)


def test_error_message_is_capped_but_errors_are_complete(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, *[_row(A_MEDIAN="x")] * 30)
    with pytest.raises(OewsFormatError) as exc:
        parse_oews(path)
    assert len(exc.value.errors) == 30
    assert "and 10 more" in str(exc.value)
