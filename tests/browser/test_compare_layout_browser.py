"""Compare on a phone and on a laptop, and its printed report.

On a phone (375 px) each row of the comparison is a card: every offer's figure, the difference
and the stronger one inside the screen, nothing scrolling sideways. On a laptop it is the table
as before. Printed (or saved as PDF), two offers fit one landscape page of A4 and of US Letter;
four take the two pages the page announces.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.signing_in import sign_in
from tests.factories import ShareLinkFactory, UserFactory, seattle_senior_tpm_market
from tests.test_compare_views import compare_url, contoso, northwind

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORT = {"phone": 375, "desktop": 1280}


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF: its /Type /Page objects (the /Pages tree node is not one)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def four_offers(user, market):
    """Northwind 165,000 and Contoso 200,000 bases, and two more: Fabrikam 210,000 (stronger)
    and Tailspin 150,000."""
    return [
        northwind(user, market),
        contoso(user, market),
        contoso(user, market, company="Fabrikam", base_salary=Decimal("210000")),
        northwind(user, market, company="Tailspin", base_salary=Decimal("150000")),
    ]


def cell_boxes(page, row_key: str) -> list[dict]:
    """Each cell of a row: what it says, its label, its box, and whether it is shown."""
    return page.eval_on_selector_all(
        f'[data-testid="comparison-table"] tr[data-row="{row_key}"] > td',
        """cells => cells.map(td => {
            const box = td.getBoundingClientRect();
            return {text: td.textContent.trim(), label: td.dataset.label,
                    shownLabel: getComputedStyle(td, "::before").content,
                    left: box.left, right: box.right, top: box.top, width: box.width};
        })""",
    )


def assert_no_sideways_scroll(page, width: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT[width]
    wrap = page.locator(".compare-table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table scrolls sideways"


def assert_inside_the_screen(cells: list[dict], width: str) -> None:
    for cell in cells:
        assert cell["left"] >= 0 and cell["right"] <= VIEWPORT[width], cell


def test_two_offers_side_by_side_or_as_cards(page, width, screenshot):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    a, b = northwind(user, market), contoso(user, market)
    sign_in(page, user)
    page.goto(compare_url(a, b))
    expect(page.get_by_test_id("first-year-verdict")).to_have_text(
        "In year one, Contoso pays more, by $15,300."
    )
    assert_no_sideways_scroll(page, width)

    # Base 165,000 − 200,000 = −35,000: Contoso stronger by 35,000.
    cells = cell_boxes(page, "base")
    assert [c["text"] for c in cells] == [
        "$165,000",
        "$200,000",
        "-$35,000",
        "Contoso by $35,000",
    ]
    assert_inside_the_screen(cells, width)
    if width == "phone":
        # One line per figure, each under the last, each saying whose it is.
        assert [c["shownLabel"] for c in cells] == [
            '"Northwind"',
            '"Contoso"',
            '"Difference (Northwind − Contoso)"',
            '"Stronger"',
        ]
        assert all(c["width"] > 300 for c in cells)
        assert len({round(c["top"]) for c in cells}) == 4
        expect(page.locator(".compare-table thead")).to_have_css("position", "absolute")
        # Still a table to a screen reader, each figure read with its offer's name.
        expect(page.get_by_role("columnheader", name="Stronger")).to_have_count(1)
        base_row = page.locator('tr[data-row="base"]')
        expect(base_row.get_by_role("rowheader")).to_have_text("Base salary, year 1")
        expect(base_row.get_by_role("cell", name="Contoso $200,000", exact=True)).to_have_count(1)
    else:
        # The table as it always was: headings above, a row's figures on one line.
        expect(page.get_by_role("columnheader", name="Stronger")).to_be_visible()
        assert len({round(c["top"]) for c in cells}) == 1
        assert [c["shownLabel"] for c in cells] == ["none"] * 4
    screenshot("two-offers")
    assert page.console_errors == [], page.console_errors


def test_four_offers_are_readable_without_zooming(page, width, screenshot):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    offers = four_offers(user, market)
    sign_in(page, user)
    page.goto(compare_url(*offers))
    expect(page.get_by_test_id("comparison-table")).to_be_visible()
    assert_no_sideways_scroll(page, width)

    # Bases 165,000 · 200,000 · 210,000 · 150,000: Fabrikam ahead of Contoso by 10,000.
    cells = cell_boxes(page, "base")
    assert [c["text"] for c in cells] == [
        "$165,000",
        "$200,000",
        "$210,000",
        "$150,000",
        "Fabrikam by $10,000",
    ]
    assert [c["label"] for c in cells] == [
        "Northwind",
        "Contoso",
        "Fabrikam",
        "Tailspin",
        "Stronger",
    ]
    assert_inside_the_screen(cells, width)
    # Text no smaller than the page's: nothing to zoom into.
    size = page.locator('tr[data-row="base"] > td').first.evaluate(
        "td => parseFloat(getComputedStyle(td).fontSize)"
    )
    assert size >= 14
    screenshot("four-offers")
    assert page.console_errors == [], page.console_errors


def test_a_shared_comparison_reads_the_same_way(page, width, screenshot):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    a, b = northwind(user, market), contoso(user, market)
    link = ShareLinkFactory(owner=user, offer_ids=[a.pk, b.pk], hidden_fields=["company"])
    page.goto(reverse("shared_comparison", args=[link.token]))
    expect(page.get_by_test_id("first-year-verdict")).to_have_text(
        "In year one, Offer B pays more, by $15,300."
    )
    assert_no_sideways_scroll(page, width)
    cells = cell_boxes(page, "base")
    # The hidden names stay hidden in the cards' labels too.
    assert [c["label"] for c in cells] == [
        "Offer A",
        "Offer B",
        "Difference (Offer A − Offer B)",
        "Stronger",
    ]
    assert_inside_the_screen(cells, width)
    expect(page.get_by_test_id("print-pages")).to_be_visible()
    screenshot("shared")
    # Printed by whoever received the link: one page, as the note says.
    for paper in ("A4", "Letter"):
        assert pdf_pages(page.pdf(format=paper, landscape=True, print_background=True)) == 1
    assert page.console_errors == [], page.console_errors


@pytest.mark.parametrize(("count", "pages"), [(2, 1), (3, 2), (4, 2)])
def test_the_printed_report_takes_the_pages_it_says(page, width, count, pages):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    offers = four_offers(user, market)[:count]
    sign_in(page, user)
    page.goto(compare_url(*offers))
    note = page.get_by_test_id("print-pages")
    expect(note).to_have_text(
        "Two offers print on one landscape page (A4 or US Letter); three or four take two pages."
    )
    expect(page.get_by_test_id("comparison-table")).to_be_visible()
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, landscape=True, print_background=True)
        assert pdf_pages(pdf) == pages, f"{count} offers on {paper}: {pdf_pages(pdf)} pages"
    # What the paper shows: the comparison without the site's navigation, form or buttons.
    page.emulate_media(media="print")
    for hidden in ("nav", "form", "footer", "[data-print]"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("svg.chart:visible")).to_have_count(1)
    assert page.console_errors == [], page.console_errors
