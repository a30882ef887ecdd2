"""The paper-value / risk-adjusted switch on the pages that show totals: one URL parameter
(`equity=risk`), applied to every total the page shows, and Compare's verdict saying both when
they disagree. Figures are worked out by hand in the comments."""

from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse

from offers.valuation import EquityValue, equity_value_from, switch_links
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db
D = Decimal


def startup(owner, market, **changes):
    """Base 150,000, no bonus or sign-on, 100,000 of private RSUs vesting 25% a year, discounted
    30%: paper 4-year total 600,000 + 100,000 = 700,000; risk-adjusted 600,000 + 70,000 = 670,000
    (a yearly average of 175,000 on paper and 167,500 risk-adjusted)."""
    values = {"owner": owner, "company": "Startup", "role": market["role"],
              "level": market["level"], "location": market["seattle"],
              "base_salary": D("150000"), "bonus_type": "none", "bonus_percent": None,
              "sign_on_year1": D("0"), "equity_grant_value": D("100000"),
              "vesting_schedule": "four_year_quarterly", "retirement_match_percent": D("0"),
              "retirement_match_rate_percent": D("0"), "is_private_company": True,
              "illiquidity_discount_percent": D("30")}  # fmt: skip
    return OfferFactory(**(values | changes))


def test_the_switch_reads_only_risk_and_keeps_the_rest_of_the_query():
    assert equity_value_from(QueryDict("equity=risk")) is EquityValue.RISK_ADJUSTED
    for query in ("", "equity=paper", "equity=RISK", "equity=1"):
        assert equity_value_from(QueryDict(query)) is EquityValue.PAPER
    params = QueryDict("offers=3&offers=5&equity=risk&utm_source=x&currency=EUR")
    links = switch_links(
        "/offers/compare/", params, EquityValue.RISK_ADJUSTED, reads=("offers", "currency")
    )
    # What the page reads is kept, in order; what it ignores (utm_source) is not.
    assert links == [
        (EquityValue.PAPER, "/offers/compare/?offers=3&offers=5&currency=EUR", False),
        (EquityValue.RISK_ADJUSTED, "/offers/compare/?offers=3&offers=5&currency=EUR&equity=risk", True),
    ]  # fmt: skip
    assert switch_links("/offers/", QueryDict(""), EquityValue.PAPER)[0][1] == "/offers/"


def test_offer_page_counts_the_discount_in_every_total_when_risk_adjusted(
    user_client, user, market
):
    offer = startup(user, market)
    paper = user_client.get(offer.get_absolute_url()).content.decode()
    risk = user_client.get(offer.get_absolute_url() + "?equity=risk").content.decode()
    # Year by year: 25,000 of equity a year on paper, 17,500 risk-adjusted.
    assert "$175,000" in paper and "$700,000" in paper
    assert "$167,500" in risk and "$670,000" in risk and "$700,000" not in risk
    assert 'data-testid="equity-risk"' in paper and 'aria-current="true"' in risk
    # The switch is kept by the page's own links.
    assert f"{reverse('offers:negotiate', args=[offer.pk])}?equity=risk" in risk


def test_leaving_after_a_year_keeps_the_discounted_equity(user_client, user, market):
    offer = startup(user, market)
    response = user_client.get(offer.get_absolute_url() + "?equity=risk&months=12")
    # Net after 12 months: base 150,000 + 4 quarterly vests of 4,375 (17,500) = 167,500.
    assert response.context["leave"].net == D("167500.00")


def test_no_switch_without_a_discount(user_client, user, market):
    public = startup(user, market, is_private_company=False, illiquidity_discount_percent=D("0"))
    page = user_client.get(public.get_absolute_url()).content.decode()
    assert 'data-testid="equity-risk"' not in page
    assert (
        "$700,000" in user_client.get(public.get_absolute_url() + "?equity=risk").content.decode()
    )


def test_my_offers_lists_risk_adjusted_averages(user_client, user, market):
    startup(user, market)
    paper = user_client.get(reverse("offers:list")).content.decode()
    risk = user_client.get(reverse("offers:list") + "?equity=risk").content.decode()
    assert "$175,000" in paper and "$167,500" not in paper
    assert "$167,500" in risk


def test_compare_says_both_verdicts_when_the_discount_decides(user_client, user, market):
    original = startup(user, market, company="Original", is_private_company=False,
                       illiquidity_discount_percent=D("0"))  # fmt: skip
    copy = startup(user, market, company="Discounted copy")
    url = f"{reverse('offers:compare')}?offers={original.pk}&offers={copy.pk}"
    paper = user_client.get(url)
    # On paper the two pay the same (700,000 each); less the 30% discount the copy has 30,000
    # less equity over 4 years.
    horizon = paper.context["page"].comparison.over_horizon
    assert horizon.stronger is None
    text = paper.content.decode()
    assert "Over 4 years, they pay the same." in text
    assert (
        "Risk-adjusted, less the illiquidity discounts, <strong>Original</strong> pays more over 4 years, by $30,000"
        in text
    )
    risk = user_client.get(url + "&equity=risk")
    horizon = risk.context["page"].comparison.over_horizon
    assert (horizon.stronger_name, horizon.lead) == ("Original", D("30000.00"))
    text = risk.content.decode()
    assert (
        "At paper value, before the illiquidity discounts, they pay the same over 4 years" in text
    )
    # The export and share links carry the switch.
    assert "equity=risk" in risk.context["query"]


def test_compare_csv_follows_the_switch(user_client, user, market):
    original = startup(user, market, company="Original", is_private_company=False,
                       illiquidity_discount_percent=D("0"))  # fmt: skip
    copy = startup(user, market, company="Copy")
    url = f"{reverse('offers:compare_csv')}?offers={original.pk}&offers={copy.pk}&equity=risk"
    rows = user_client.get(url).content.decode().splitlines()
    total = next(row for row in rows if row.startswith("Totals,Total over 4 years"))
    # 700,000 and 670,000, whole units, difference 30,000.
    assert total.startswith("Totals,Total over 4 years,700000,670000,30000,Original,30000")


def test_negotiate_counts_the_discount_in_the_counter_totals(user_client, user, market):
    offer = startup(user, market)
    url = reverse("offers:negotiate", args=[offer.pk])
    paper = user_client.get(url)
    risk = user_client.get(url + "?equity=risk")
    # Year one: base 150,000 + equity 25,000 on paper, 17,500 less the 30% discount.
    assert paper.context["counter"].current.first_year_total == D("175000.00")
    assert risk.context["counter"].current.first_year_total == D("167500.00")
    # The market still places the paper total (bands are at paper value).
    assert risk.context["position"] == paper.context["position"]
    assert 'name="equity" value="risk"' in risk.content.decode()


def test_risk_adjusted_take_home_is_less_the_discount_the_year_vests(user_client, user, market):
    offer = startup(user, market)
    paper = user_client.get(offer.get_absolute_url()).context
    risk = user_client.get(offer.get_absolute_url() + "?equity=risk").context
    assert "risk_discounts" not in paper
    # 25,000 of equity vests a year; less 30%, 17,500: 7,500 a year comes off the take-home,
    # while the tax (on the 25,000 that vests) is the same.
    assert risk["risk_discounts"] == (D("7500.00"),) * 4
    assert risk["after_tax"][0].total_tax == paper["after_tax"][0].total_tax
    assert risk["risk_take_home"][0] == paper["after_tax"][0].take_home - D("7500")
