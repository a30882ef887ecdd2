"""What My offers and the market explorer work out once instead of per template node: the same
figures, words and links as before."""

from datetime import date
from decimal import Decimal
from types import MappingProxyType

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory

from benchmarks.community import CommunityCell
from benchmarks.lookup import Confidence, ResolvedBand
from benchmarks.percentiles import known_points, place_among_known, place_in_band
from benchmarks.views import _with_each
from offers.views import _STATUS_LABELS

D = Decimal
BAND = {10: D("80000"), 25: D("90000"), 50: D("110000"), 75: D("130000"), 90: D("150000")}


def resolved(percentiles: dict) -> ResolvedBand:
    return ResolvedBand(
        percentiles=MappingProxyType(percentiles),
        currency="USD",
        component="base",
        confidence=Confidence.DERIVED,
        steps=(),
        effective_date=date(2026, 1, 1),
        top_coded_from=None,
        label="TPM · Senior · Seattle",
    )


@pytest.mark.parametrize(
    ("amount", "label"),
    [
        # 25 + 25 × (100,000 − 90,000) / (110,000 − 90,000) = 37.5 → "37th percentile"
        ("100000", "37th percentile"),
        ("110000", "at the 50th percentile"),
        ("79999", "below the 10th percentile"),
        ("150001", "above the 90th percentile"),
    ],
)
def test_a_band_places_amounts_as_place_in_band_does(amount: str, label: str) -> None:
    band = resolved(BAND)
    assert band.position(D(amount)) == place_in_band(D(amount), BAND)
    assert band.position(D(amount)).label == label
    assert place_among_known(D(amount), known_points(BAND)) == place_in_band(D(amount), BAND)


def test_a_band_with_decreasing_points_still_refuses_every_amount() -> None:
    band = resolved({25: D("120000"), 50: D("110000")})
    for _ in range(2):  # a refusal is not kept as an answer
        with pytest.raises(ValueError, match="band values decrease"):
            band.position(D("115000"))


def test_a_band_in_the_shared_cache_keeps_its_figures_not_what_was_worked_out_from_them() -> None:
    band = resolved(BAND)
    band.position(D("100000"))
    state = band.__getstate__()
    assert "known_points" not in state
    cache.set("band", band)  # pickled, as the shared cache keeps bands
    copy = cache.get("band")
    assert copy == band
    assert copy.position(D("100000")).percentile == D("37.5")


def test_a_cells_months_are_the_same_when_asked_again() -> None:
    cell = CommunityCell(
        None, "Seattle", 12, 6, "shown", earliest=date(2025, 1, 5), latest=date(2026, 11, 2)
    )
    assert cell.span == "Jan 2025–Nov 2026"
    assert cell.span == "Jan 2025–Nov 2026"
    one_month = CommunityCell(
        None, "Seattle", 12, 6, "shown", earliest=date(2026, 11, 1), latest=date(2026, 11, 30)
    )
    assert one_month.span == "Nov 2026"
    assert CommunityCell(None, "Seattle", 0, 0, "too_few").span == ""
    # What was worked out is not a field: the cell equals one that never said its months.
    assert cell == CommunityCell(
        None, "Seattle", 12, 6, "shown", earliest=date(2025, 1, 5), latest=date(2026, 11, 2)
    )


def test_status_labels_are_the_menus() -> None:
    assert _STATUS_LABELS == {
        "received": "Received",
        "negotiating": "Negotiating",
        "accepted": "Accepted",
        "declined": "Declined",
        "expired": "Expired",
    }


class Row:
    def __init__(self, pk: int):
        self.pk = pk


@pytest.mark.parametrize(
    "query",
    [
        "",
        "role=3&level=2&location=72&industry=&company_size=3&component=total_comp",
        "role=3&location=72",  # no level yet: it is added at the end
        "level=9&role=3&level=4&q=a+b%26c",  # repeated and escaped values
    ],
)
def test_each_levels_link_is_what_querystring_writes(query: str) -> None:
    request = RequestFactory().get(f"/market/?{query}")
    rows = [Row(1), Row(2), Row(17)]
    tag = Template("{% for row in rows %}{% querystring level=row.pk %}|{% endfor %}")
    expected = tag.render(RequestContext(request, {"rows": rows}, autoescape=False))
    assert "|".join(_with_each(request.GET, "level", rows)) + "|" == expected


def test_each_levels_link_leaves_the_requests_choices_alone() -> None:
    choices = QueryDict("role=3&level=2")
    _with_each(choices, "level", [Row(5)])
    assert choices.urlencode() == "role=3&level=2"
