"""Chart text a person can read: on a phone (375 px) and a laptop (1280 px), every label of every
chart shown is at least 11 px on screen and inside its chart, on each page that draws one."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS
from tests.browser.main_pages import make_world
from tests.browser.signing_in import sign_in_with_a_session

pytestmark = pytest.mark.django_db(transaction=True)

SMALLEST_TEXT_PX = 11

# For each chart shown: its name, whether it is a phone's drawing, and each label's text, its size
# on screen (the font size times the drawing's scale) and how far inside the chart's box it lies.
SHOWN_CHARTS = """() => [...document.querySelectorAll("svg.chart")]
  .filter((svg) => svg.checkVisibility())
  .map((svg) => {
    const box = svg.getBoundingClientRect();
    return {
      name: svg.getAttribute("aria-label").slice(0, 40),
      narrow: svg.classList.contains("chart-narrow"),
      texts: [...svg.querySelectorAll("text")].map((text) => {
        const edge = text.getBoundingClientRect();
        return {
          text: text.textContent,
          px: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
          // Left, right, top and bottom: how far inside the chart's box.
          inside: [edge.left - box.left, box.right - edge.right,
                   edge.top - box.top, box.bottom - edge.bottom],
        };
      }),
    };
  })"""


def chart_pages(world) -> list[tuple[str, str, list[str]]]:
    """Each page with charts, and the start of each chart's description, top to bottom."""
    offer, pair = world.offer.pk, f"?offers={world.offer.pk}&offers={world.second_offer.pk}"
    return [
        (
            "offer",
            reverse("offers:detail", args=[offer]),
            ["Pay by year in USD", "Base salary band", "Net if you leave after each month"],
        ),
        (
            "compare",
            reverse("offers:compare") + pair,
            ["Cumulative pay by year", "Net if you leave after each month"],
        ),
        (
            "shared",
            reverse("shared_comparison", args=[world.share_token]),
            ["Cumulative pay by year"],
        ),
        (
            "explorer",
            reverse("benchmarks:explorer") + world.explorer_query,
            ["Base salary band", "Base salary by level"],
        ),
    ]


def test_every_chart_label_is_readable_and_inside_its_chart(page, live_server, width, screenshot):
    world = make_world()
    sign_in_with_a_session(page, live_server, world.owner)

    for name, url, expected in chart_pages(world):
        page.goto(url)
        charts = page.evaluate(SHOWN_CHARTS)
        screenshot(name)

        # One drawing of each chart is shown: the phone's on a phone, the laptop's on a laptop.
        assert [c["name"][: len(e)] for c, e in zip(charts, expected, strict=False)] == expected
        assert len(charts) == len(expected), (name, [c["name"] for c in charts])
        assert all(c["narrow"] == (width == "phone") for c in charts), name
        for chart in charts:
            assert chart["texts"], (name, chart["name"])
            for text in chart["texts"]:
                label = (name, chart["name"], text["text"])
                assert text["px"] >= SMALLEST_TEXT_PX, (*label, round(text["px"], 1))
                assert min(text["inside"]) >= -0.5, (*label, text["inside"])
        for index, chart in enumerate(page.locator("svg.chart:visible").all()):
            chart.screenshot(path=ARTIFACTS / f"chart--{name}-{index + 1}-{width}.png")
    assert page.console_errors == []


def test_ten_years_and_four_long_named_offers_still_read(page, live_server, width, screenshot):
    # The most a chart is asked to hold: ten years of vesting (a custom 10 × 10% schedule) and four
    # offers compared, with names past the legend's 22 characters and totals in the millions.
    from tests.factories import OfferFactory, UserFactory

    owner = UserFactory()
    offers = [
        OfferFactory(
            owner=owner,
            company=f"{name} International Holdings",
            equity_grant_value=grant,
            vesting_schedule="custom",
            custom_vesting_percentages="10,10,10,10,10,10,10,10,10,10",
        )
        for name, grant in (
            ("Northwind", D("4000000")),
            ("Contoso", D("3900000")),
            ("Fabrikam", D("1000000")),
            ("Tailspin", D("990000")),
        )
    ]
    sign_in_with_a_session(page, live_server, owner)
    pages = [
        # The offer's years, and leaving month by month over 120 months.
        ("ten-years", reverse("offers:detail", args=[offers[0].pk]), 2),
        (
            "four-offers",
            reverse("offers:compare") + "?" + "&".join(f"offers={o.pk}" for o in offers),
            2,
        ),
    ]

    for name, url, count in pages:
        page.goto(url)
        charts = page.evaluate(SHOWN_CHARTS)
        screenshot(name)

        assert len(charts) == count, (name, [c["name"] for c in charts])
        for chart in charts:
            for text in chart["texts"]:
                label = (name, chart["name"], text["text"])
                assert text["px"] >= SMALLEST_TEXT_PX, (*label, round(text["px"], 1))
                assert min(text["inside"]) >= -0.5, (*label, text["inside"])
        for index, chart in enumerate(page.locator("svg.chart:visible").all()):
            chart.screenshot(path=ARTIFACTS / f"chart--{name}-{index + 1}-{width}.png")
    assert page.console_errors == []


@pytest.mark.parametrize("between", [600, 820, 1024])
def test_charts_stay_readable_between_a_phone_and_a_laptop(page, live_server, between):
    # A small tablet, a large one, a small laptop: each chart is drawn for one of the two widths
    # and shown at whatever size the column gives it, so its labels must still read.
    world = make_world()
    sign_in_with_a_session(page, live_server, world.owner)
    page.set_viewport_size({"width": between, "height": 900})

    for name, url, expected in chart_pages(world):
        page.goto(url)
        charts = page.evaluate(SHOWN_CHARTS)
        assert len(charts) == len(expected), (name, [c["name"] for c in charts])
        for chart in charts:
            for text in chart["texts"]:
                label = (name, between, chart["name"], text["text"])
                assert text["px"] >= SMALLEST_TEXT_PX, (*label, round(text["px"], 1))
                assert min(text["inside"]) >= -0.5, (*label, text["inside"])
    assert page.console_errors == []
