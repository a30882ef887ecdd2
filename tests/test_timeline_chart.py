"""The leaving timeline's chart and its partial: a line per offer of the net if leaving after each
month, a marker at the chosen month, months along the bottom, and the figures as a table."""

import re
from decimal import Decimal

from django.template.loader import render_to_string

from offers.compensation import OfferTerms
from offers.timeline import leaving_timeline
from offers.timeline_chart import timeline_chart
from offers.worth import month_by_month
from tests.test_timeline import pro_rata_sign_on, with_options

D = Decimal


def plain_offer() -> OfferTerms:
    # Base 96,000 (8,000 a month), nothing else.
    return OfferTerms(currency="USD", base_salary=D("96000"))


def drawings(svg) -> list[str]:
    return re.findall(r"<svg.*?</svg>", str(svg), flags=re.S)


def texts(drawing: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]+)</text>", drawing)


def two_offers(**kwargs):
    return [
        ("Northwind", leaving_timeline(pro_rata_sign_on(), **kwargs)),
        ("Brightpath", leaving_timeline(plain_offer(), **kwargs)),
    ]


def test_a_laptops_and_a_phones_drawing_each_described_for_screen_readers():
    wide, narrow = drawings(timeline_chart(two_offers(), marked_month=18, currency="USD"))
    assert wide.startswith('<svg class="chart timeline-chart chart-only-wide" viewBox="0 0 640 ')
    assert narrow.startswith(
        '<svg class="chart timeline-chart chart-narrow chart-only-narrow" viewBox="0 0 360 '
    )
    for drawing in (wide, narrow):
        assert 'role="img"' in drawing
        assert "<title>Net if you leave after each month, before tax</title>" in drawing
        # Every 12th month in words: Northwind at 12 months has 120,000 + 12,000 + 24,000 =
        # 156,000, nothing owed (the 12 months are served); Brightpath 12 x 8,000 = 96,000.
        desc = re.search(r"<desc>([^<]+)</desc>", drawing).group(1)
        assert desc.startswith("In USD. Northwind: month 0 0, month 12 156,000, month 24")
        assert "Brightpath: month 0 0, month 12 96,000," in desc
        # At 18 months: 180,000 + 12,000 + 24,000 = 216,000 and 18 x 8,000 = 144,000.
        assert desc.endswith("Leaving after 18 months: Northwind 216,000, Brightpath 144,000.")
        assert 'aria-label="Net if you leave after each month, before tax. In USD.' in drawing


def test_after_tax_is_said_in_the_title_and_mixed_lines_say_which_in_the_legend():
    taxed = two_offers(tax_rate_by_year=[D("0.25")])
    wide, _ = drawings(timeline_chart(taxed, marked_month=None, currency="USD"))
    assert "<title>Net if you leave after each month, after tax (an estimate)</title>" in wide
    # Brightpath at 12 months after a 25% tax: 96,000 x 0.75 = 72,000.
    assert "Brightpath: month 0 0, month 12 72,000," in wide

    mixed = [taxed[0], two_offers()[1]]
    wide, narrow = drawings(timeline_chart(mixed, marked_month=None, currency="USD"))
    assert "after tax where tax rates are given</title>" in wide
    for drawing in (wide, narrow):
        assert "Northwind (after tax)" in texts(drawing)
        assert "Brightpath (before tax)" in texts(drawing)


def test_months_along_the_bottom_every_6_or_12_as_they_fit():
    wide, narrow = drawings(timeline_chart(two_offers(), marked_month=None, currency="USD"))
    every_6 = [str(m) for m in range(0, 49, 6)]
    # 48 months over 640 - 64 - 24 = 552 units: 6 months are 69 apart, room for "48".
    assert [t for t in texts(wide) if t.isdigit()] == ["0", *every_6]  # amount axis "0" first
    # On a phone 360 - 44 - 14 = 302 units: 6 months are 37.75 apart, more than "48" + 10 = 28.
    assert [t for t in texts(narrow) if t.isdigit()] == ["0", *every_6]

    long = [("Northwind", leaving_timeline(pro_rata_sign_on(), months=120))]
    wide, narrow = drawings(timeline_chart(long, marked_month=None, currency="USD"))
    # 120 months: 6 months are 552 x 6/120 = 27.6 apart, less than "120" (21) + 10, so every 12
    # (55.2 apart); on a phone even 12 are only 30.2 apart, less than 27 + 10, so every 24.
    assert [t for t in texts(wide) if t.isdigit()][1:] == [str(m) for m in range(0, 121, 12)]
    assert [t for t in texts(narrow) if t.isdigit()][1:] == [str(m) for m in range(0, 121, 24)]
    assert "Months worked before leaving" in texts(wide)


def test_the_amount_axis_tops_just_above_the_highest_net():
    wide, _ = drawings(timeline_chart(two_offers(), marked_month=None, currency="USD"))
    # Northwind at 48 months: 480,000 + 4 bonuses of 12,000 + 24,000 = 552,000. Steps of
    # 100,000 would need 6 ticks, so 200,000: 0, 200k, 400k, then 600k to reach above it.
    assert [t for t in texts(wide) if t.endswith("k") or t == "0"][:5] == [
        "0",
        "200k",
        "400k",
        "600k",
        "0",
    ]


def test_the_marker_stands_at_the_chosen_month_with_each_offers_net_there():
    wide, narrow = drawings(timeline_chart(two_offers(), marked_month=18, currency="USD"))
    # 18 of 48 months across 552 units from x = 64: 64 + 552 x 18/48 = 271.
    assert '<line class="timeline-marker" x1="271.0" x2="271.0"' in wide
    for drawing, width in ((wide, 640), (narrow, 360)):
        assert "Leave after 18 months" in texts(drawing)
        assert [t for t in texts(drawing) if t in ("216k", "144k")] == ["144k", "216k"]
        for x in re.findall(r'<text class="fw-semibold" x="([\d.]+)"', drawing):
            assert 0 <= float(x) <= width


def test_a_marker_at_month_0_puts_the_amounts_on_the_right():
    wide, _ = drawings(timeline_chart(two_offers(), marked_month=0, currency="USD"))
    # At month 0 Northwind owes its whole sign-on back: net 0; the dot is at the plot's left.
    values = re.findall(r'x="([\d.]+)" y="[\d.]+" text-anchor="start" fill="#[0-9a-f]+">0<', wide)
    assert values == ["86.0", "86.0"]  # 64 + 8 + the swatch's 14


def test_no_marker_without_a_month_or_beyond_every_line():
    for month in (None, 49):
        wide, _ = drawings(timeline_chart(two_offers(), marked_month=month, currency="USD"))
        assert "timeline-marker" not in wide
        assert "Leaving after" not in wide


def test_one_point_a_month_from_the_plots_left_to_its_right():
    wide, _ = drawings(timeline_chart(two_offers(), marked_month=None, currency="USD"))
    points = re.search(r'<polyline [^>]*points="([^"]+)"', wide).group(1).split()
    assert len(points) == 49
    # Month 0's net is 0 (the sign-on is owed back in full): the plot's bottom, 30 + 210 = 240.
    assert points[0] == "64.0,240.0"
    # Month 48's 552,000 of a 600,000 axis: 240 - 210 x 0.92 = 46.8, at x = 640 - 24 = 616.
    assert points[-1] == "616.0,46.8"


def test_names_are_escaped_and_a_repeat_draws_the_same_chart():
    series = [("<b>Acme</b>", leaving_timeline(plain_offer()))]
    svg = timeline_chart(series, marked_month=6, currency="USD")
    assert "<b>" not in str(svg) and "&lt;b&gt;Acme&lt;/b&gt;" in str(svg)
    assert timeline_chart(series, marked_month=6, currency="USD") == svg


# --- The partial -----------------------------------------------------------------------------


def rendered(series, months: int) -> str:
    timelines = [(name, "USD", timeline) for name, timeline in series]
    chart = timeline_chart(series, marked_month=months, currency="USD")
    return render_to_string(
        "offers/_timeline.html",
        {
            "timeline_series": timelines,
            "timeline_by_month": month_by_month(timelines, months),
            "timeline_chart": chart,
            "leave_months": months,
        },
    )


def cells(html: str, row: str) -> list[str]:
    found = re.search(rf"<th scope=\"row\"[^>]*>{row}.*?</tr>", html, flags=re.S).group(0)
    return re.findall(r'<td class="money"[^>]*>([^<]*)</td>', found)


def test_the_partial_shows_the_chosen_month_for_each_offer():
    html = rendered(two_offers(tax_rate_by_year=[D("0.30")]), 6)
    assert "Leaving after 6 months" in html
    assert html.count('class="chart ') == 2  # the chart's two drawings
    # Northwind at 6 months: 60,000 base + the 24,000 sign-on = 84,000 received, 24,000 x 6/12
    # = 12,000 owed back, net 72,000; taxed 30% on 84,000 - 12,000 = 72,000: 21,600 → 50,400.
    # Brightpath: 6 x 8,000 = 48,000; after 30% tax 33,600.
    assert cells(html, "Cash received") == ["$84,000", "$48,000"]
    assert cells(html, "Sign-on owed back") == ["$12,000", "$0"]
    assert cells(html, "Net<") == ["$72,000", "$48,000"]
    assert cells(html, "Net after tax") == ["$50,400", "$33,600"]
    assert cells(html, "Equity vested") == ["$0", "$0"]
    assert ">Northwind</th>" in html and ">Brightpath</th>" in html


def test_the_partial_lists_every_third_month_and_marks_the_chosen_one():
    html = rendered([("Northwind", leaving_timeline(pro_rata_sign_on()))], 18)
    by_month = html[html.index("Month by month") :]
    months = re.findall(r'<tr(?: class="[^"]*")?><th scope="row">(\d+)</th>', by_month)
    assert months == [str(m) for m in range(0, 49, 3)]
    # The chosen month's row, highlighted: 216,000 received, nothing owed, net 216,000.
    chosen = re.search(
        r'<tr class="table-active fw-semibold"><th scope="row">18</th>.*?</tr>', html
    )
    assert re.findall(r">(\$[\d,]+)<", chosen.group(0))[:4] == [
        "$216,000",
        "$0",
        "$0",
        "$216,000",
    ]
    assert "After tax" not in by_month  # no rates, no after-tax column
    # One offer: no column headings of offers.
    assert '<th scope="col" class="text-end">Northwind</th>' not in html


def test_a_month_beyond_an_offers_timeline_shows_a_dash():
    html = rendered(two_offers(), 60)
    assert cells(html, "Net<") == ["—", "—"]


def test_the_cost_to_keep_vested_options_shows_for_options_only():
    html = rendered([("Northwind", leaving_timeline(with_options()))], 18)
    # 37.5% of 10,000 = 3,750 shares vested by 18 months, 3,750 x 2.00 = 7,500 to buy them,
    # worth 3,750 x (10 - 2) = 30,000 after the strike.
    assert cells(html, "Cost to keep vested options") == ["$7,500"]
    assert cells(html, "Equity vested") == ["$30,000"]
    assert "To keep options" in html
    # An offer without options has no such row alone, and a dash beside one that has.
    alone = rendered([("Brightpath", leaving_timeline(plain_offer()))], 18)
    assert "Cost to keep vested options" not in alone
    assert "ESPP gain on shares bought" not in alone
    html = rendered(
        [
            ("Northwind", leaving_timeline(with_options())),
            ("Brightpath", leaving_timeline(plain_offer())),
        ],
        18,
    )
    assert cells(html, "Cost to keep vested options") == ["$7,500", "—"]
    assert "ESPP gain on shares bought" in html  # several offers: every row, dashes where none
    assert cells(html, "ESPP gain on shares bought") == ["—", "—"]


def test_the_partial_says_whether_the_lines_are_before_or_after_tax():
    before = rendered(two_offers(), 6)
    assert "less any sign-on owed back, before tax." in before
    after = rendered(two_offers(tax_rate_by_year=[D("0.30")]), 6)
    assert "after tax (an estimate from the tax rates given)." in after
    mixed = [
        ("Northwind", leaving_timeline(pro_rata_sign_on(), tax_rate_by_year=[D("0.30")])),
        ("Brightpath", leaving_timeline(plain_offer())),
    ]
    assert "after tax where tax rates are given (an estimate; the legend says which)" in rendered(
        mixed, 6
    )
