"""Total-compensation bands from a pay-data provider's sheet, through the admin's band import:
previewed, then written on confirm, as CSV or XLSX, each band with its source and date."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from benchmarks.models import Band
from tests.factories import LevelFactory, LocationFactory, RoleFactory, SourceFactory

pytestmark = pytest.mark.django_db

D = Decimal
# A provider's sheet names only what it knows: no SOC code (the role's), no industry or size.
HEADER = [
    "role",
    "level",
    "location",
    "component",
    "currency",
    "p10",
    "p25",
    "p50",
    "p75",
    "p90",
    "source",
    "source_release",
    "effective_date",
]
SENIOR_TC = {
    "role": "Technical Product Manager",
    "level": "Senior",
    "location": "42660",
    "component": "Total compensation",
    "currency": "USD",
    "p10": "182,000",
    "p25": "$205,000",
    "p50": "236000",
    "p75": "268,500",
    "p90": "301000",
    "source": "Pay survey of tech companies",
    "source_release": "H2 2025",
    "effective_date": "2025-10-01",
}
SENIOR_CASH = {
    **SENIOR_TC,
    "component": "total_cash",
    "p10": "",
    "p25": "171,000",
    "p50": "188,000",
    "p75": "206,000",
    "p90": "",
}


@pytest.fixture
def provider(db):
    """The survey as an admin enters it under Sources: name, publisher, release, date."""
    RoleFactory()
    LevelFactory()
    LocationFactory(name="Seattle-Tacoma-Bellevue, WA", kind="metro", bls_area_code="42660")
    return SourceFactory(
        name="Pay survey of tech companies",
        kind="published",
        publisher="An example pay-data provider",
        release="H2 2025",
        effective_date=date(2025, 10, 1),
    )


def _csv(rows: list[dict[str, str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in header})
    return out.getvalue().encode()


def _xlsx(rows: list[dict[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        # As a spreadsheet holds them: amounts as numbers, the date as a date.
        cells = []
        for name in HEADER:
            value = row.get(name) or None
            if name in ("p10", "p25", "p50", "p75", "p90") and value:
                value = int(value.replace(",", "").replace("$", ""))
            elif name == "effective_date" and value:
                value = date.fromisoformat(value)
            cells.append(value)
        sheet.append(cells)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def _upload(name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return file


def _preview(admin_client, name: str, content: bytes):
    file_format = "1" if name.endswith(".xlsx") else "0"
    return admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": file_format, "import_file": _upload(name, content)},
    )


def _confirm(admin_client, preview):
    confirm = preview.context["confirm_form"]
    return admin_client.post(
        reverse("admin:benchmarks_band_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )


def _stored(component: str) -> Band:
    return Band.objects.select_related("role", "level", "location", "source").get(
        component=component
    )


@pytest.mark.parametrize("name, build", [("bands.csv", _csv), ("bands.xlsx", _xlsx)])
def test_a_providers_sheet_of_total_pay_bands_is_previewed_then_stored(
    admin_client, provider, name, build
) -> None:
    preview = _preview(admin_client, name, build([SENIOR_TC, SENIOR_CASH]))

    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2
    assert not Band.objects.exists()  # a preview writes nothing

    assert _confirm(admin_client, preview).status_code == 302

    total = _stored(Band.Component.TOTAL_COMP)
    assert (total.role.name, total.level.name, total.location.bls_area_code) == (
        "Technical Product Manager",
        "Senior",
        "42660",
    )
    assert total.occupation.soc_code == "13-1082"  # the role's
    assert total.currency == "USD"
    assert total.percentiles == {
        10: D("182000"),
        25: D("205000"),
        50: D("236000"),
        75: D("268500"),
        90: D("301000"),
    }
    assert (total.source, total.effective_date) == (provider, date(2025, 10, 1))
    cash = _stored(Band.Component.TOTAL_CASH)
    assert cash.percentiles == {
        10: None,
        25: D("171000"),
        50: D("188000"),
        75: D("206000"),
        90: None,
    }
    assert cash.source == provider


def test_importing_the_same_sheet_again_changes_nothing(admin_client, provider) -> None:
    sheet = _csv([SENIOR_TC])
    _confirm(admin_client, _preview(admin_client, "bands.csv", sheet))

    again = _preview(admin_client, "bands.csv", sheet).context["result"]

    assert again.totals["new"] == 0 and again.totals["skip"] == 1
    assert Band.objects.count() == 1


@pytest.mark.parametrize(
    "label, component",
    [
        ("total_comp", Band.Component.TOTAL_COMP),
        ("TOTAL COMPENSATION", Band.Component.TOTAL_COMP),
        ("TC", Band.Component.TOTAL_COMP),
        ("Total comp", Band.Component.TOTAL_COMP),
        ("Total cash", Band.Component.TOTAL_CASH),
        ("Base salary", Band.Component.BASE),
    ],
)
def test_a_component_is_read_by_its_code_its_label_or_its_usual_short_name(
    admin_client, provider, label, component
) -> None:
    preview = _preview(admin_client, "bands.csv", _csv([{**SENIOR_TC, "component": label}]))
    _confirm(admin_client, preview)

    assert Band.objects.get().component == component


def test_an_unknown_component_is_an_error_of_its_row(admin_client, provider) -> None:
    preview = _preview(
        admin_client, "bands.csv", _csv([SENIOR_TC, {**SENIOR_CASH, "component": "Equity"}])
    )

    result = preview.context["result"]
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert invalid.error_dict["component"] == [
        "“Equity” is not a component: use Base salary (base), Total cash (total_cash) "
        "or Total compensation (total_comp)."
    ]
    assert not Band.objects.exists()


def test_a_source_not_yet_entered_is_an_error_that_says_where_to_enter_it(
    admin_client, provider
) -> None:
    row = {**SENIOR_TC, "source": "Another survey", "source_release": "2025"}
    result = _preview(admin_client, "bands.csv", _csv([row])).context["result"]

    (invalid,) = result.invalid_rows
    assert invalid.error_dict["source"] == [
        "No source “Another survey” (release “2025”): add it under Sources first, with its "
        "publisher, release and effective date."
    ]


def test_a_row_without_a_date_takes_its_sources(admin_client, provider) -> None:
    preview = _preview(admin_client, "bands.csv", _csv([{**SENIOR_TC, "effective_date": ""}]))
    assert not preview.context["result"].has_validation_errors()
    _confirm(admin_client, preview)

    assert _stored(Band.Component.TOTAL_COMP).effective_date == date(2025, 10, 1)
