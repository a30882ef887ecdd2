"""The admin's main pages for the market data, with one row of every model to open: the pages a
superuser's browser checks walk (beside the site's own, in tests/browser/main_pages.py).

A page is (name, address). The benchmarks models are read from the admin's registry, so a model
registered tomorrow is walked tomorrow.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests import factories
from tests.factories import CommunityBandFactory, ContributionFactory

# A band sheet's columns, as the export writes them.
SHEET_HEADER = (
    "occupation,role,level,location,industry,company_size,component,currency,"
    "p10,p25,p50,p75,p90,top_coded_from,employment,source,source_release,effective_date"
)
# A row that names no known place and puts its 25th percentile above its median: the import
# preview must list it with both errors.
BAD_SHEET_ROW = (
    "13-1082,Technical Product Manager,Senior,Atlantis,,,base,USD,"
    ",130000,120000,140000,,,,TPM salary guide,2024,2024-01-01"
)
# The band make_admin_world makes, with its median moved from 110,000 to 115,000: an update.
UPDATE_SHEET_ROW = (
    "13-1082,Technical Product Manager,Senior,99,,,base,USD,"
    ",90000,115000,130000,,,,TPM salary guide,2024,2025-05-01"
)
BAD_ROW_ERRORS = (
    "location: No location “Atlantis”.",
    "p25: The 25th percentile (130,000) is above the median (120,000).",
)


def sheet(row: str) -> bytes:
    return f"{SHEET_HEADER}\n{row}\n".encode()


@dataclass
class AdminWorld:
    superuser: object
    band: object


def make_admin_world() -> AdminWorld:
    """A superuser, and one row of each market-data model, related as the shipped data are."""
    nation = factories.LocationFactory()
    role = factories.RoleFactory()
    level = factories.LevelFactory()
    guide = factories.SourceFactory(name="TPM salary guide", kind="published", release="2024")
    band = factories.BandFactory(occupation=role.occupation, role=role, level=level,
                                 location=nation, source=guide, p10=None, p90=None)  # fmt: skip
    factories.FactorFactory(occupation=role.occupation, location=factories.LocationFactory(
        name="Seattle-Tacoma-Bellevue, WA", kind="metro", bls_area_code="42660", parent=nation,
    ))  # fmt: skip
    factories.IndustryFactory()
    factories.CompanySizeFactory()
    factories.ExchangeRateFactory()
    factories.LevelBasisFactory(role=role, level=level)
    factories.WageGrowthFactory()
    factories.BacktestFigureFactory()
    ContributionFactory(role=role, level=level, location=nation)
    CommunityBandFactory(role=role, level=level, location=nation)
    superuser = factories.UserFactory(
        email="admin@example.com", is_staff=True, is_superuser=True, display_name="Ada"
    )
    return AdminWorld(superuser, band)


def admin_pages(world: AdminWorld) -> list[tuple[str, str]]:
    """The admin's index, and each market-data model's list, add page, a row's change page and
    (for models that keep one) its history; then the band import and export."""
    request = RequestFactory().get("/admin/")
    request.user = world.superuser
    found = [("admin index", reverse("admin:index"))]
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if meta.app_label != "benchmarks":
            continue
        name = f"admin:{meta.app_label}_{meta.model_name}"
        found.append((f"{meta.verbose_name_plural}", reverse(f"{name}_changelist")))
        if model_admin.has_add_permission(request):
            found.append((f"add {meta.verbose_name}", reverse(f"{name}_add")))
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"make_admin_world makes no {meta.verbose_name}"
        found.append((f"{meta.verbose_name} {row.pk}", reverse(f"{name}_change", args=[row.pk])))
        if isinstance(model_admin, SimpleHistoryAdmin):
            found.append(
                (f"{meta.verbose_name} {row.pk} history", reverse(f"{name}_history", args=[row.pk]))
            )
    found += [
        ("band import", reverse("admin:benchmarks_band_import")),
        ("band export", reverse("admin:benchmarks_band_export")),
    ]
    return found


def session_cookie(user, base_url: str) -> dict:
    """The cookie of a session signed in as `user`, for a Playwright browser context."""
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


def preview_sheet(page, tmp_path, row: str = BAD_SHEET_ROW) -> None:
    """Upload a one-row sheet on the band import page and wait for its preview."""
    path = tmp_path / "bands.csv"
    path.write_bytes(sheet(row))
    page.goto(reverse("admin:benchmarks_band_import"))
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="csv")
    page.get_by_role("button", name="Submit").click()
    heading = "Some rows failed to validate" if row == BAD_SHEET_ROW else "Preview"
    page.get_by_role("heading", name=heading, exact=True).wait_for()


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
