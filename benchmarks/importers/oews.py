"""Parse BLS OEWS "all data" wage tables (CSV or XLSX) into plain rows.

Accepts the project's shipped extract (a column subset) and BLS's own full downloads (extra
columns in any order, lower- or upper-case headers, thousands separators, one row per
ownership code). No Django here: the loader and the management command wrap these functions.

BLS special values: ``*`` / ``**`` mean "not available", ``#`` means "at or above the release's
top-coding bound" (the May 2025 footnote: $239,200 a year). The same files also publish exact
percentiles above that bound, so a ``#`` cell is read as at least the larger of the bound and the
highest exact percentile below it in its row (see ``resolve_top_coding``): a lower bound, never an
exact wage, and never a reason to reject a row.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

__all__ = [
    "REQUIRED_COLUMNS",
    "TOP_CODED_ANNUAL",
    "OewsFormatError",
    "OewsRow",
    "RowError",
    "WageValue",
    "count_data_rows",
    "ownership_rank",
    "parse_oews",
    "read_oews",
    "resolve_top_coding",
]

# The bound the May 2025 (and earlier) footnotes state; a release may state another, which the
# caller passes as ``top_coding_bound`` (the loader keeps it on the release's Source).
TOP_CODED_ANNUAL = Decimal("239200")

WAGE_COLUMNS = ("A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90")
REQUIRED_COLUMNS = (
    "AREA",
    "AREA_TITLE",
    "AREA_TYPE",
    "PRIM_STATE",
    "NAICS",
    "NAICS_TITLE",
    "I_GROUP",
    "OCC_CODE",
    "OCC_TITLE",
    "O_GROUP",
    "TOT_EMP",
    *WAGE_COLUMNS,
    "A_MEAN",
)
# Read when present (BLS's full files); the shipped extract has none of them.
OPTIONAL_COLUMNS = ("OWN_CODE", "HOURLY")
# Older BLS releases spell O_GROUP as OCC_GROUP; same meaning.
_ALIASES = {"OCC_GROUP": "O_GROUP"}
# OWN_CODE, broadest coverage first (BLS field descriptions): 1235 federal, state and local
# government and private sector, i.e. every employer; 235 private, state and local; 123 all
# government; 35, 57, 58, 59 private plus some government; 5 private; 1, 2, 3 one government.
# No OWN_CODE column (the shipped extract) means the cross-ownership figures.
_OWNERSHIP_RANK = {
    "": 0,
    "1235": 0,
    "235": 1,
    "123": 2,
    "35": 3,
    "57": 3,
    "58": 3,
    "59": 3,
    "5": 4,
    "1": 5,
    "2": 5,
    "3": 5,
}
_UNKNOWN_OWNERSHIP_RANK = 9
_TRUE = frozenset({"TRUE", "T", "YES", "Y", "1"})

_NOT_AVAILABLE = frozenset({"*", "**", ""})
_TOP_CODED = "#"
# Plain digits or properly grouped thousands ("1,234,567"); an optional "$" because spreadsheets
# saved as CSV with currency formatting emit it.
_NUMBER_RE = re.compile(r"^\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NEGATIVE_RE = re.compile(r"^-\s*\$?[\d,]+(?:\.\d+)?$")
# Digits of a zero-padded code by AREA_TYPE: 2/3 state or territory FIPS, 4 metro CBSA,
# 6 nonmetropolitan area. Spreadsheets drop leading zeros, so we put them back.
_AREA_WIDTH = {2: 2, 3: 2, 4: 5, 6: 7}
_MAX_ERRORS_IN_MESSAGE = 20


@dataclass(frozen=True)
class WageValue:
    """One wage cell. ``amount`` is None when BLS printed ``*``/``**``.

    When ``top_coded`` is true the true wage is at or above ``amount`` (BLS printed ``#``; the
    amount is the lower bound ``resolve_top_coding`` gives it): never an exact value.
    """

    amount: Decimal | None
    top_coded: bool = False

    @property
    def is_exact(self) -> bool:
        return self.amount is not None and not self.top_coded


@dataclass(frozen=True)
class OewsRow:
    line: int  # 1-based; the header is line 1, so the first data row is line 2
    area_code: str
    area_title: str
    area_type: int
    prim_state: str
    naics: str
    naics_title: str
    i_group: str
    occ_code: str
    occ_title: str
    o_group: str
    total_employment: int | None
    annual_p10: WageValue
    annual_p25: WageValue
    annual_median: WageValue
    annual_p75: WageValue
    annual_p90: WageValue
    annual_mean: WageValue
    # OWN_CODE as printed ("" without the column); ``ownership_rank`` orders them.
    own_code: str = ""
    # HOURLY=TRUE: BLS publishes only hourly wages for this row, so it has no annual band.
    hourly_only: bool = False

    @property
    def annual_percentiles(self) -> dict[int, WageValue]:
        return {
            10: self.annual_p10,
            25: self.annual_p25,
            50: self.annual_median,
            75: self.annual_p75,
            90: self.annual_p90,
        }


@dataclass(frozen=True)
class RowError:
    line: int  # 0 means the file as a whole (e.g. unsupported type)
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class OewsFormatError(ValueError):
    """The file cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors: list[RowError] = list(errors)
        shown = [str(e) for e in self.errors[:_MAX_ERRORS_IN_MESSAGE]]
        extra = len(self.errors) - len(shown)
        if extra > 0:
            shown.append(f"... and {extra} more")
        super().__init__("; ".join(shown) if shown else "invalid OEWS file")


# --------------------------------------------------------------------------- public API

Source = str | os.PathLike[str] | IO[bytes] | IO[str]


def read_oews(
    path_or_file: Source,
    *,
    filename: str | None = None,
    top_coding_bound: Decimal = TOP_CODED_ANNUAL,
) -> Iterator[OewsRow | RowError]:
    """Yield one ``OewsRow`` or ``RowError`` per data row, streaming.

    The format comes from the extension of ``filename`` (or the path / file object's name).
    ``top_coding_bound`` is the release's yearly bound behind ``#``. Problems that make the
    whole file unreadable (unknown type, missing columns) raise ``OewsFormatError`` on the
    first ``next()``.
    """
    kind = _detect_kind(path_or_file, filename)
    records = _csv_records(path_or_file) if kind == "csv" else _xlsx_records(path_or_file)
    yield from _parse_records(records, top_coding_bound)


def parse_oews(
    path_or_file: Source,
    *,
    filename: str | None = None,
    top_coding_bound: Decimal = TOP_CODED_ANNUAL,
) -> list[OewsRow]:
    """Return every row, or raise ``OewsFormatError`` with *all* row errors (all or nothing)."""
    rows: list[OewsRow] = []
    errors: list[RowError] = []
    for item in read_oews(path_or_file, filename=filename, top_coding_bound=top_coding_bound):
        if isinstance(item, RowError):
            errors.append(item)
        else:
            rows.append(item)
    if errors:
        raise OewsFormatError(errors)
    return rows


def count_data_rows(path_or_file: Source, *, filename: str | None = None) -> int:
    """Count non-blank data rows (for progress bars). Reads the file once without parsing."""
    kind = _detect_kind(path_or_file, filename)
    records = _csv_records(path_or_file) if kind == "csv" else _xlsx_records(path_or_file)
    # The header is the first record; blank rows are skipped by the record readers too.
    return max(sum(1 for _ in records) - 1, 0)


def ownership_rank(own_code: str) -> int:
    """0 for the figures covering every employer; larger for narrower ownerships (5 private...).

    BLS's full files may print one cell (area, industry, occupation) once per ownership: the
    row with the lowest rank describes it.
    """
    return _OWNERSHIP_RANK.get(own_code, _UNKNOWN_OWNERSHIP_RANK)


def resolve_top_coding(wages: Iterable[WageValue], bound: Decimal) -> list[WageValue]:
    """The percentiles of one row (10th to 90th, in order) with each ``#`` given its lower bound.

    A ``#`` cell is at least the larger of ``bound`` and the highest exact percentile below it
    (BLS publishes exact percentiles above its stated bound and then ``#`` above those). An exact
    value above a ``#`` cell but below that cell's lower bound contradicts it; it becomes that
    lower bound, top-coded too. So top-coding never puts a row out of order; exact values that
    are out of order among themselves are left for ``_order_problems`` to report.
    """
    highest_exact = bound
    top_coded_floor: Decimal | None = None
    resolved: list[WageValue] = []
    for wage in wages:
        if wage.amount is None:
            resolved.append(wage)
        elif wage.top_coded:
            top_coded_floor = highest_exact
            resolved.append(WageValue(top_coded_floor, top_coded=True))
        elif top_coded_floor is not None and wage.amount < top_coded_floor:
            resolved.append(WageValue(top_coded_floor, top_coded=True))
        else:
            highest_exact = max(highest_exact, wage.amount)
            resolved.append(wage)
    return resolved


# --------------------------------------------------------------------------- readers


def _source_name(source: Source, filename: str | None) -> str:
    if filename:
        return filename
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "") or "")


def _detect_kind(source: Source, filename: str | None) -> str:
    suffix = Path(_source_name(source, filename)).suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".xls":
        msg = "old Excel .xls files are not supported: save the file as .xlsx or .csv"
    else:
        msg = f"unsupported file type {suffix or '(no extension)'!r}: expected .csv or .xlsx"
    raise OewsFormatError([RowError(0, msg)])


def _csv_records(source: Source) -> Iterator[tuple[int, list[Any]]]:
    """Yield (line, cells) for non-blank CSV records; line counts records, header = 1."""
    if isinstance(source, str | os.PathLike):
        with open(source, encoding="utf-8-sig", newline="") as fh:
            yield from _csv_from_text(fh)
        return
    if isinstance(source, io.TextIOBase) or isinstance(source.read(0), str):
        yield from _csv_from_text(source)  # type: ignore[arg-type]
        return
    # Binary upload (e.g. Django's UploadedFile): decode without closing the caller's file.
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
    try:
        yield from _csv_from_text(text)
    finally:
        text.detach()


def _csv_from_text(fh: IO[str]) -> Iterator[tuple[int, list[Any]]]:
    line = 0
    try:
        for line, cells in enumerate(csv.reader(fh), start=1):
            if any(c.strip() for c in cells):
                yield line, cells
    except UnicodeDecodeError:
        raise OewsFormatError(
            [RowError(line + 1, "the file is not UTF-8 text: save it as CSV UTF-8 and retry")]
        ) from None
    except csv.Error as exc:
        raise OewsFormatError([RowError(line + 1, f"unreadable CSV: {exc}")]) from None


def _xlsx_records(source: Source) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number, cells) for non-blank rows of the sheet holding the OEWS table."""
    from openpyxl import load_workbook  # imported lazily: CSV-only callers don't pay for it

    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt or non-xlsx file
        raise OewsFormatError([RowError(0, f"unreadable XLSX file: {exc}")]) from None
    try:
        best: tuple[int, Iterator[tuple[int, list[Any]]], tuple[int, list[Any]]] | None = None
        for ws in wb.worksheets:
            # Some writers store a wrong <dimension>; resetting makes openpyxl read every row.
            ws.reset_dimensions()
            rows = (
                (n, list(cells))
                for n, cells in enumerate(ws.iter_rows(values_only=True), start=1)
                if any(_cell_text(c) for c in cells)
            )
            header = next(rows, None)
            if header is None:
                continue
            # Read-only mode trims trailing empty cells, so pad rows to the header's width.
            rows = _padded(rows, len(header[1]))
            missing = len(_missing_columns(header[1]))
            if missing == 0:
                yield header
                yield from rows
                return
            if best is None or missing < best[0]:
                best = (missing, rows, header)
        if best is None:
            raise OewsFormatError([RowError(1, "the workbook has no data")])
        # No sheet has every column: report against the closest one.
        yield best[2]
        yield from best[1]
    finally:
        wb.close()


def _padded(rows: Iterator[tuple[int, list[Any]]], width: int) -> Iterator[tuple[int, list[Any]]]:
    for n, cells in rows:
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
        yield n, cells


# --------------------------------------------------------------------------- parsing


def _normalize_header(name: Any) -> str:
    text = _cell_text(name).lstrip("\ufeff").strip().upper()
    return _ALIASES.get(text, text)


def _missing_columns(header: list[Any]) -> list[str]:
    present = {_normalize_header(h) for h in header}
    return [c for c in REQUIRED_COLUMNS if c not in present]


def _parse_records(
    records: Iterator[tuple[int, list[Any]]], top_coding_bound: Decimal
) -> Iterator[OewsRow | RowError]:
    first = next(records, None)
    if first is None:
        raise OewsFormatError([RowError(1, "the file is empty")])
    header_line, header = first
    names = [_normalize_header(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise OewsFormatError(
            [RowError(header_line, f"missing required column(s): {', '.join(missing)}")]
        )
    known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    duplicated = sorted({n for n in names if n in known and names.count(n) > 1})
    if duplicated:
        raise OewsFormatError(
            [RowError(header_line, f"column(s) appear more than once: {', '.join(duplicated)}")]
        )
    index = {name: names.index(name) for name in known if name in names}
    width = len(names)

    for line, cells in records:
        if _is_footnote(cells):
            continue
        if len(cells) < width or any(_cell_text(c) for c in cells[width:]):
            # A short CSV record is a truncated line; extra non-empty cells mean misaligned data.
            yield RowError(line, f"expected {width} columns, found {len(cells)}")
            continue
        yield _parse_row(line, cells, index, top_coding_bound)


def _is_footnote(cells: list[Any]) -> bool:
    # Some BLS spreadsheets end with notes ("Footnotes:", "SOURCE: ...") in the first column.
    texts = [_cell_text(c) for c in cells]
    return bool(texts[0]) and not texts[0][0].isdigit() and not any(texts[1:])


def _parse_row(
    line: int, cells: list[Any], index: dict[str, int], top_coding_bound: Decimal
) -> OewsRow | RowError:
    problems: list[str] = []

    def cell(name: str) -> Any:
        i = index.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    def text(name: str, *, required: bool = False) -> str:
        value = _cell_text(cell(name))
        if required and not value:
            problems.append(f"{name}: is empty")
        return value

    area_type = _parse_int(cell("AREA_TYPE"), "AREA_TYPE", problems, allow_missing=False)
    wages = {
        name: _parse_wage(cell(name), name, problems, top_coding_bound)
        for name in (*WAGE_COLUMNS, "A_MEAN")
    }
    percentiles = resolve_top_coding([wages[name] for name in WAGE_COLUMNS], top_coding_bound)
    wages.update(zip(WAGE_COLUMNS, percentiles, strict=True))
    if wages["A_MEDIAN"].amount == 0:
        problems.append("A_MEDIAN: 0 is not a wage")
    total_employment = _parse_int(cell("TOT_EMP"), "TOT_EMP", problems, allow_missing=True)
    area_code = _area_code(cell("AREA"), area_type)
    if not area_code:
        problems.append("AREA: is empty")
    naics = _naics_code(cell("NAICS"))
    if not naics:
        problems.append("NAICS: is empty")
    occ_code = text("OCC_CODE", required=True)
    if not problems:
        problems.extend(_order_problems([(name, wages[name]) for name in WAGE_COLUMNS]))
    own_code = _cell_text(cell("OWN_CODE"))
    if problems or area_type is None:  # area_type None is always among the problems
        return RowError(line, "; ".join(problems))

    return OewsRow(
        line=line,
        area_code=area_code,
        area_title=text("AREA_TITLE"),
        area_type=area_type,
        prim_state=text("PRIM_STATE"),
        naics=naics,
        naics_title=text("NAICS_TITLE"),
        i_group=text("I_GROUP"),
        occ_code=occ_code,
        occ_title=text("OCC_TITLE"),
        o_group=text("O_GROUP"),
        total_employment=total_employment,
        annual_p10=wages["A_PCT10"],
        annual_p25=wages["A_PCT25"],
        annual_median=wages["A_MEDIAN"],
        annual_p75=wages["A_PCT75"],
        annual_p90=wages["A_PCT90"],
        annual_mean=wages["A_MEAN"],
        own_code=own_code,
        hourly_only=_cell_text(cell("HOURLY")).upper() in _TRUE,
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # XLSX numbers come back as floats: 99.0 -> "99"
    return str(value).strip()


def _area_code(value: Any, area_type: int | None) -> str:
    code = _cell_text(value)
    width = _AREA_WIDTH.get(area_type or 0)
    if width and code.isdigit() and len(code) < width:
        return code.zfill(width)
    return code


def _naics_code(value: Any) -> str:
    code = _cell_text(value)
    # Only the cross-industry codes 000000/000001 lose zeros in spreadsheets; sector codes are
    # genuinely 2 digits ("52") and must not be padded.
    if code.isdigit() and len(code) < 6 and int(code) in (0, 1):
        return code.zfill(6)
    return code


def _parse_number(value: Any, column: str, problems: list[str]) -> Decimal | None:
    """Parse a non-negative number; on failure record a problem and return None."""
    if isinstance(value, bool):
        problems.append(f"{column}: {value!r} is not a number")
        return None
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # repr() gives the shortest round-tripping text, so 135980.0 -> Decimal("135980").
        number = Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
        if number is None:
            problems.append(f"{column}: {value!r} is not a number")
            return None
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
    else:
        raw = str(value).strip()
        if _NEGATIVE_RE.match(raw):
            problems.append(f"{column}: {raw!r} is negative")
            return None
        if not _NUMBER_RE.match(raw):
            problems.append(f"{column}: {raw!r} is not a number")
            return None
        try:
            number = Decimal(raw.lstrip("$").replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the regex already guarantees a number
            problems.append(f"{column}: {raw!r} is not a number")
            return None
    if number < 0:
        problems.append(f"{column}: {_cell_text(value)!r} is negative")
        return None
    return number


def _parse_wage(value: Any, column: str, problems: list[str], bound: Decimal) -> WageValue:
    raw = _cell_text(value)
    if raw in _NOT_AVAILABLE:
        return WageValue(None)
    if raw == _TOP_CODED:
        # The bound itself until ``resolve_top_coding`` looks at the rest of the row.
        return WageValue(bound, top_coded=True)
    return WageValue(_parse_number(value, column, problems))


def _parse_int(value: Any, column: str, problems: list[str], *, allow_missing: bool) -> int | None:
    raw = _cell_text(value)
    if raw in _NOT_AVAILABLE:
        if not allow_missing:
            problems.append(f"{column}: is empty")
        return None
    number = _parse_number(value, column, problems)
    if number is None:
        return None
    if number != number.to_integral_value():
        problems.append(f"{column}: {raw!r} is not a whole number")
        return None
    return int(number)


def _order_problems(wages: list[tuple[str, WageValue]]) -> list[str]:
    """Percentiles must not decrease. Missing values are skipped.

    Run on the values ``resolve_top_coding`` gives, in which a ``#`` cell is never below the
    exact values beneath it nor above those over it: only exact values out of order among
    themselves are reported.
    """
    problems: list[str] = []
    prev_name, prev_amount = "", None
    for name, wage in wages:
        if wage.amount is None:
            continue
        if prev_amount is not None and wage.amount < prev_amount:
            problems.append(
                f"percentiles out of order: {name} ({wage.amount}) is below "
                f"{prev_name} ({prev_amount})"
            )
        prev_name, prev_amount = name, wage.amount
    return problems
