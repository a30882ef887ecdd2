"""The compare page, its htmx partial and its CSV export."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarks.money import format_money
from tests.factories import (
    ExchangeRateFactory,
    LocationFactory,
    OfferFactory,
)

pytestmark = pytest.mark.django_db


def northwind(owner, market, **changes):
    """The reference package (year 1: 234,700; 4 years: 1,008,800)."""
    values = {"owner": owner, "company": "Northwind", "role": market["role"],
              "level": market["level"], "location": market["seattle"]}  # fmt: skip
    return OfferFactory(**(values | changes))


def contoso(owner, market, **changes):
    """Base 200,000 and 200,000 RSUs vesting 25% a year: 250,000 every year."""
    values = {"owner": owner, "company": "Contoso", "role": market["role"],
              "level": market["level"], "location": market["seattle"],
              "base_salary": Decimal("200000"), "bonus_type": "none", "bonus_percent": None,
              "sign_on_year1": Decimal("0"), "vesting_schedule": "four_year_quarterly",
              "retirement_match_percent": Decimal("0"),
              "retirement_match_rate_percent": Decimal("0")}  # fmt: skip
    return OfferFactory(**(values | changes))


def compare_url(*offers, **params):
    query = "&".join([f"offers={o.pk}" for o in offers] + [f"{k}={v}" for k, v in params.items()])
    return reverse("offers:compare") + "?" + query


def test_which_is_better_in_year_one_and_over_four_years(user_client, user, market):
    a, b = northwind(user, market), contoso(user, market, is_private_company=True)
    body = user_client.get(compare_url(a, b)).content.decode()
    # Year 1: Northwind 234,700 against Contoso 250,000 → Contoso by 15,300.
    assert "In year one, <strong>Contoso</strong> pays more, by $15,300." in body
    # Four years: 1,008,800 against 1,000,000 → Northwind by 8,800.
    assert "Over 4 years, <strong>Northwind</strong> pays more, by $8,800." in body
    # Cumulative: 734,100 < 750,000 after year 3, 1,008,800 > 1,000,000 after year 4.
    assert "Northwind's cumulative pay overtakes Contoso's in year 4." in body
    # Base 165,000 − 200,000 = −35,000, Contoso stronger.
    assert '<td class="money" data-label="Difference (Northwind − Contoso)">-$35,000</td>' in body
    assert '<td class="money stronger" data-label="Contoso">$200,000</td>' in body
    # Each offer in its own location's band: Northwind at the 32nd percentile; Contoso's
    # 200,000 is 50 + 25 × 14,000 / 30,000 = 61.7 → the 61st.
    assert "32nd percentile" in body and "61st percentile" in body
    assert 'class="badge tag-illiquid' in body
    assert "<svg" in body and "Cumulative pay by year in USD" in body
    assert reverse("offers:negotiate", args=[a.pk]) in body


def test_htmx_gets_only_the_result_partial(user_client, user, market):
    a, b = northwind(user, market), contoso(user, market)
    response = user_client.get(compare_url(a, b), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "<form" not in body.split('data-testid="comparison-table"')[0]
    assert 'data-testid="comparison-table"' in body
    assert "HX-Request" in response["Vary"]


def test_csv_matches_the_page(user_client, user, market):
    a, b = northwind(user, market), contoso(user, market)
    page = user_client.get(compare_url(a, b)).content.decode()
    response = user_client.get(
        reverse("offers:compare_csv") + "?" + compare_url(a, b).split("?")[1]
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Section", "Row", "Northwind", "Contoso", "Difference (Northwind − Contoso)",
                       "Stronger", "Ahead by"]  # fmt: skip
    table = [row for row in rows[1:] if len(row) == 7]
    by_label = {row[1]: row for row in table}
    assert by_label["First-year total"][2:] == ["234700", "250000", "-15300", "Contoso", "15300"]
    assert by_label["Total over 4 years"][2:] == ["1008800", "1000000", "8800", "Northwind", "8800"]
    assert by_label["Relocation (one-time)"][5] == "tie"
    # Every figure of the CSV is on the page, formatted the same way, with its row's label.
    for row in table:
        assert row[1].replace(" (one-time)", "") in page
        for amount in row[2:5] + row[6:]:
            assert format_money(Decimal(amount), "USD") in page
    assert ["Crossover", "Northwind overtakes Contoso in year 4"] in rows
    assert rows[-1][0] == "Generated on"


def test_the_csv_export_draws_no_chart_and_places_nothing_in_a_band(
    user_client, user, market, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("an export needs neither the chart nor the market positions")

    monkeypatch.setattr("offers.selectors.cumulative_chart", refuse)
    monkeypatch.setattr("offers.selectors.market_positions", refuse)
    a, b = northwind(user, market), contoso(user, market)
    response = user_client.get(
        reverse("offers:compare_csv") + "?" + compare_url(a, b).split("?")[1]
    )
    assert response.status_code == 200 and b"Total over 4 years" in response.content


def test_csv_neutralises_formulas_and_needs_a_selection(user_client, user, market):
    a = northwind(user, market, company='=HYPERLINK("http://x")')
    b = contoso(user, market)
    response = user_client.get(reverse("offers:compare_csv") + f"?offers={a.pk}&offers={b.pk}")
    assert "'=HYPERLINK" in response.content.decode()
    assert user_client.get(reverse("offers:compare_csv")).status_code == 400


def test_amounts_converted_to_the_chosen_currency_with_rate_and_date(user_client, user, market):
    ExchangeRateFactory(
        currency="GBP", units_per_usd=Decimal("0.8"), date=datetime.date(2025, 11, 1)
    )
    london = LocationFactory(name="London", kind="metro", country="GB", currency="GBP",
                             bls_area_code="")  # fmt: skip
    a = contoso(user, market, company="Fabrikam", currency="GBP", location=london,
                base_salary=Decimal("160000"), equity_kind="none", equity_grant_value=None)  # fmt: skip
    b = contoso(user, market)
    body = user_client.get(compare_url(a, b, currency="USD")).content.decode()
    # 1 GBP = 1 / 0.8 = 1.25 USD: 160,000 GBP is $200,000. The factory's source is named
    # "Exchange rates".
    assert "converted at 1.2500 USD per GBP, Exchange rates of 1 Nov 2025" in body
    assert '<td class="money" data-label="Fabrikam">$200,000</td>' in body
    # In pounds, Contoso's 200,000 USD base is 200,000 × 0.8 = £160,000: the bases tie.
    body = user_client.get(compare_url(a, b, currency="GBP")).content.decode()
    assert "converted at 0.8000 GBP per USD" in body
    assert "£160,000" in body


def test_a_missing_rate_is_a_message_not_an_error(user_client, user, market):
    a = contoso(user, market, currency="CHF")
    b = contoso(user, market)
    response = user_client.get(compare_url(a, b, currency="USD"))
    assert response.status_code == 200
    assert "No exchange rate for CHF" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("offers=abc&offers={a}", "wasn&#x27;t an offer number"),
        ("offers={a}&offers={b}&currency=XYZ", "Choose a currency from the list."),
        ("offers=999999&offers={a}", "isn&#x27;t among yours"),
        ("offers={a}&offers={a}", "Tick two to four offers"),
        ("offers=-3&offers=1e9&offers=%00", "isn&#x27;t among yours"),
    ],
)
def test_bad_selections_never_fail(user_client, user, market, query, message):
    a, b = northwind(user, market), contoso(user, market)
    response = user_client.get(reverse("offers:compare") + "?" + query.format(a=a.pk, b=b.pk))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_five_offers_show_the_first_four(user_client, user, market):
    offers = [contoso(user, market, company=f"Company {n}") for n in range(5)]
    body = user_client.get(compare_url(*offers)).content.decode()
    assert "Compare up to 4 offers at a time: showing the first four." in body
    header = body.split('data-testid="comparison-table"')[1].split("</thead>")[0]
    assert "Company 3" in header and "Company 4" not in header


def test_another_users_offer_is_left_out_with_a_message(user_client, user, other_user, market):
    mine, also_mine = northwind(user, market), contoso(user, market)
    theirs = contoso(other_user, market, company="Secret Corp")
    body = user_client.get(compare_url(mine, theirs)).content.decode()
    assert "Secret Corp" not in body
    assert "A selected offer isn&#x27;t among yours, so it was left out." in body
    body = user_client.get(compare_url(mine, also_mine, theirs)).content.decode()
    assert "Secret Corp" not in body and "In year one" in body


def test_fewer_than_two_offers_explains_what_to_do(user_client, user, market):
    northwind(user, market)
    assert b"Add a second offer to compare" in user_client.get(reverse("offers:compare")).content


def test_compare_costs_no_more_queries_for_two_or_four_offers(
    client, user, market, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(user)
    offers = [northwind(user, market), contoso(user, market)]
    # The currency menu reads the rates; a cold band lookup reads level bases, wage growth,
    # back-test figures and factors; the community cells of the offers' places, in one query.
    with django_assert_num_queries(11) as two:
        client.get(compare_url(*offers))
    offers += [
        contoso(user, market, company="Fabrikam"),
        northwind(user, market, company="Tailspin"),
    ]
    # No more than the first look: bands already resolved are not fetched again.
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(compare_url(*offers))
    assert "Tailspin" in response.content.decode()


def test_each_figure_says_whose_it_is_for_the_phone_cards(user_client, user, market):
    """On a phone a row is a card and the column headings are hidden: every cell carries the
    name of its offer (or "Difference", "Stronger") for the card's lines to show."""
    a, b = northwind(user, market), contoso(user, market)
    c = contoso(user, market, company="Fabrikam", base_salary=Decimal("210000"))
    body = user_client.get(compare_url(a, b, c)).content.decode()
    base_row = body.split('data-row="base"')[1].split("</tr>")[0]
    # Bases 165,000, 200,000 and 210,000: Fabrikam is stronger, by 210,000 − 200,000 = 10,000.
    assert '<td class="money" data-label="Northwind">$165,000</td>' in base_row
    assert '<td class="money" data-label="Contoso">$200,000</td>' in base_row
    assert '<td class="money stronger" data-label="Fabrikam">$210,000</td>' in base_row
    assert 'data-label="Stronger"><span>Fabrikam <span class="stronger-lead' in base_row
    assert "by $10,000" in base_row
    # A difference reads clearly only between two offers: none with three.
    assert "Difference" not in base_row
    assert 'class="compare-report" data-offers="3"' in body


def test_illiquid_equity_is_tagged_where_a_phone_shows_it(user_client, user, market):
    a, b = northwind(user, market), contoso(user, market, is_private_company=True)
    body = user_client.get(compare_url(a, b)).content.decode()
    key = body.split('class="compare-phone-key')[1].split("</p>")[0]
    assert "Contoso: illiquid equity" in key and "Northwind" not in key


def test_the_print_button_says_how_many_pages(user_client, user, market):
    a, b = northwind(user, market), contoso(user, market)
    body = user_client.get(compare_url(a, b)).content.decode()
    # The count is measured by tests/browser/test_compare_layout_browser.py.
    assert 'data-print aria-describedby="print-pages"' in body
    assert (
        "Two offers print on one landscape page (A4 or US Letter); three or four take two pages."
        in body
    )
