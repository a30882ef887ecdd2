"""After-tax estimates, checked against figures worked by hand from the published rates."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from hypothesis import given, settings
from hypothesis import strategies as st

from offers.after_tax import (
    after_tax_context,
    place_of,
    set_aside_for_april,
    take_home_by_year,
    withholding_gaps_by_year,
    yearly_incomes,
)
from offers.compensation import (
    VESTING_PRESETS,
    EquityGrant,
    EquityKind,
    EsppPlan,
    OfferTerms,
    compute_compensation,
)
from offers.take_home import (
    FilingStatus,
    Household,
    NoEstimate,
    TakeHome,
    TaxPlace,
    YearIncome,
    de_income_tax,
    estimate_take_home,
    rsu_withholding_gap,
    supplemental_withholding,
    uk_personal_allowance,
    us_rules_year,
)

D = Decimal
SINGLE = Household()
JOINT = Household(filing_status=FilingStatus.MARRIED_JOINT)
SEATTLE = TaxPlace("US", "WA", "Seattle")
SAN_FRANCISCO = TaxPlace("US", "CA", "San Francisco")
LONDON = TaxPlace("GB", "", "London")
BERLIN = TaxPlace("DE", "", "Berlin")


def estimate(wages, place, household=SINGLE, year=2025, **more) -> TakeHome:
    result = estimate_take_home(
        YearIncome(D(wages), **more), place=place, household=household, tax_year=year
    )
    assert isinstance(result, TakeHome), result
    return result


# --- United States: federal, by the IRS's 2025 rate schedule -------------------------------
# Standard deduction 2025, single: $15,750 (raised from the $15,000 first published by the
# One Big Beautiful Bill Act, IRS news release IR-2025-103; tenforty applies it).
# Taxable: 250,000 - 15,750 = 234,250. Schedule X (single), 2025:
#   10% of 11,925                       =  1,192.50
#   12% of (48,475 - 11,925) = 36,550   =  4,386.00
#   22% of (103,350 - 48,475) = 54,875  = 12,072.50
#   24% of (197,300 - 103,350) = 93,950 = 22,548.00
#   32% of (234,250 - 197,300) = 36,950 = 11,824.00
#   federal income tax                  = 52,023.00
# Payroll 2025: Social Security 6.2% x 176,100 (wage base) = 10,918.20; Medicare 1.45% x
# 250,000 = 3,625.00; additional Medicare 0.9% x (250,000 - 200,000) = 450.00 -> 14,993.20.


def test_washington_has_federal_and_payroll_tax_only():
    result = estimate(250000, SEATTLE)
    assert result.national_income_tax == D("52023.00")
    assert result.state_income_tax == D("0.00")
    assert result.payroll_tax == D("14993.20")
    assert result.amt == D("0.00")
    # 52,023 + 14,993.20 = 67,016.20; 250,000 - 67,016.20 = 182,983.80
    assert result.total_tax == D("67016.20")
    assert result.take_home == D("182983.80")
    assert result.effective_rate == D("26.8")  # 67,016.20 / 250,000 = 26.8%
    assert result.marginal_rate == D("32.0")
    assert result.local_income_tax is None
    assert result.source == "tenforty 2025.12 (OpenTaxSolver), U.S. tax year 2025"
    assert "Washington has no state income tax on wages." in result.notes
    assert "Local (city or county) income tax is not estimated." in result.notes


def test_texas_is_taxed_like_washington():
    assert estimate(250000, TaxPlace("US", "TX", "Austin")).total_tax == D("67016.20")


def test_california_adds_its_2025_rate_schedule():
    # FTB 2025 California tax rate schedule X (single); standard deduction 5,706:
    # taxable 250,000 - 5,706 = 244,294.
    #   1% of 11,079                          =    110.79
    #   2% of (26,264 - 11,079) = 15,185      =    303.70
    #   4% of (41,452 - 26,264) = 15,188      =    607.52
    #   6% of (57,542 - 41,452) = 16,090      =    965.40
    #   8% of (72,724 - 57,542) = 15,182      =  1,214.56
    #   9.3% of (244,294 - 72,724) = 171,570  = 15,956.01
    #   tax 19,157.98 - personal exemption credit 153 = 19,004.98 -> 19,005 (whole dollars)
    result = estimate(250000, SAN_FRANCISCO)
    assert result.state_income_tax == D("19005.00")
    assert result.national_income_tax == D("52023.00")
    # 52,023 + 19,005 + 14,993.20 = 86,021.20
    assert result.total_tax == D("86021.20")
    assert result.take_home == D("163978.80")
    assert any("State Disability Insurance" in note for note in result.notes)


def test_married_filing_jointly_pays_less_than_single():
    # Standard deduction 2025, joint: 31,500 -> taxable 218,500. Schedule Y-1:
    #   10% of 23,850 = 2,385; 12% of 73,100 = 8,772; 22% of 109,750 = 24,145;
    #   24% of (218,500 - 206,700) = 11,800 -> 2,832; total 38,134.
    # No additional Medicare: the joint threshold is 250,000. Payroll 10,918.20 + 3,625.
    joint = estimate(250000, SEATTLE, JOINT)
    single = estimate(250000, SEATTLE)
    assert joint.national_income_tax == D("38134.00")
    assert joint.payroll_tax == D("14543.20")
    assert joint.take_home > single.take_home
    assert "Figured as if this offer's pay were the household's only income." in joint.notes


def test_later_years_use_the_newest_rules_and_say_so():
    assert us_rules_year(2030) == 2025
    assert us_rules_year(2021) == 2021
    assert us_rules_year(2017) is None
    result = estimate(250000, SEATTLE, year=2026)
    assert result.rules_year == 2025
    assert result.tax_year == 2026
    assert (
        "Income tax for years after 2025 uses the rules of tax year 2025, the newest this "
        "estimate has."
    ) in result.notes
    # 2026 Social Security wage base 184,500: 11,439.00 + 3,625 + 450 = 15,514.00
    assert result.payroll_tax == D("15514.00")


def test_years_before_the_library_have_no_estimate():
    result = estimate_take_home(
        YearIncome(D(100000)), place=SEATTLE, household=SINGLE, tax_year=2016
    )
    assert isinstance(result, NoEstimate)


def test_new_york_city_says_city_tax_is_not_included():
    result = estimate(250000, TaxPlace("US", "NY", "New York-Newark-Jersey City, NY-NJ"))
    assert result.local_income_tax is None
    assert result.notes[0] == (
        "New York City residents also pay city income tax on wages; it is not included "
        "(local income tax is not estimated)."
    )


def test_a_us_place_without_a_state_has_no_state_figure():
    result = estimate(100000, TaxPlace("US"))
    assert result.state_income_tax is None
    assert any("State income tax is not estimated" in note for note in result.notes)


def test_rsus_are_wages_and_iso_spread_only_meets_the_amt():
    as_wages = estimate(300000, SEATTLE)
    with_rsus = estimate(200000, SEATTLE, rsu_income=D(100000))
    assert with_rsus.total_tax == as_wages.total_tax
    with_isos = estimate(250000, SEATTLE, iso_spread=D(300000))
    assert with_isos.national_income_tax == D("52023.00")  # regular tax unchanged
    assert with_isos.amt > 0
    assert with_isos.payroll_tax == D("14993.20")  # no payroll tax on ISO spread
    assert with_isos.gross == D("550000.00")


def test_iso_spread_brings_in_the_amt_by_hand():
    # Form 6251, 2025, single: AMT income = 250,000 wages + 300,000 ISO spread = 550,000 (no
    # standard deduction for the AMT). Exemption 88,100 (phase-out starts at 626,350).
    # Base 461,900: 26% of 239,100 = 62,166 + 28% of (461,900 - 239,100) = 222,800 -> 62,384;
    # tentative minimum tax 124,550 - regular tax 52,023 = AMT 72,527.
    result = estimate(250000, SEATTLE, iso_spread=D(300000))
    assert result.amt == D("72527.00")
    # 52,023 + 72,527 + payroll 14,993.20 = 139,543.20 on 550,000 of gross
    assert result.total_tax == D("139543.20")
    assert "The ISO spread brings in the alternative minimum tax (AMT)." in result.notes


def test_an_espp_gain_pays_income_tax_but_no_payroll_tax():
    # 5,000 of ESPP gain on 250,000 of wages, all in the 32% bracket: 1,600 more federal tax;
    # a qualified plan's gain owes no Social Security or Medicare (IRS Publication 525).
    with_espp = estimate(250000, SEATTLE, espp_gain=D(5000))
    assert with_espp.national_income_tax == D("53623.00")
    assert with_espp.payroll_tax == D("14993.20")
    assert with_espp.gross == D("255000.00")


def test_pre_tax_retirement_lowers_income_tax_not_payroll_tax():
    saving = estimate(250000, SEATTLE, pre_tax_retirement=D(23500))
    plain = estimate(250000, SEATTLE)
    # 23,500 less taxable income, all of it in the 32% bracket: 7,520 less federal tax.
    assert plain.national_income_tax - saving.national_income_tax == D("7520.00")
    assert saving.payroll_tax == plain.payroll_tax


def test_the_rsu_withholding_gap_by_hand():
    # Single, 2025, California: wages 200,000 and RSUs 100,000 vesting.
    # Without the RSUs: taxable 184,250 -> 1,192.50 + 4,386 + 12,072.50
    #   + 24% of (184,250 - 103,350) = 19,416 -> 37,067.00.
    # With them: taxable 284,250 -> 1,192.50 + 4,386 + 12,072.50 + 22,548
    #   + 32% of (250,525 - 197,300) = 17,032 + 35% of (284,250 - 250,525) = 11,803.75
    #   -> 69,034.75.
    # Due on the RSUs 31,967.75; withheld 22% x 100,000 = 22,000; gap 9,967.75 ("about $10,000").
    income = YearIncome(D(200000), rsu_income=D(100000))
    gap = rsu_withholding_gap(income, place=SAN_FRANCISCO, household=SINGLE, tax_year=2025)
    assert gap == D("9967.75")


def test_a_small_rsu_vest_leaves_no_gap():
    # 10,000 of RSUs on 60,000 of wages sit in the 22% bracket: withholding covers them.
    income = YearIncome(D(60000), rsu_income=D(10000))
    assert rsu_withholding_gap(income, place=SEATTLE, household=SINGLE, tax_year=2025) == 0


def test_supplemental_withholding_above_a_million():
    # 22% x 1,000,000 + 37% x 500,000 = 220,000 + 185,000
    assert supplemental_withholding(D(1500000)) == D("405000.00")


def test_no_gap_outside_the_us():
    income = YearIncome(D(200000), rsu_income=D(100000))
    assert rsu_withholding_gap(income, place=LONDON, household=SINGLE, tax_year=2025) == 0


# --- United Kingdom: HMRC 2025-26 ----------------------------------------------------------


def test_uk_100000_keeps_the_full_personal_allowance():
    # Personal allowance 12,570 (no taper at exactly 100,000): taxable 87,430.
    #   20% of 37,700 = 7,540; 40% of (87,430 - 37,700) = 49,730 -> 19,892; income tax 27,432.
    # NI: 8% of (50,270 - 12,570) = 37,700 -> 3,016; 2% of (100,000 - 50,270) = 49,730
    #   -> 994.60; total 4,010.60.
    # PolicyEngine UK 2.162.10 computed the same household for 2026: £27,432 and £4,010.60.
    result = estimate(100000, LONDON)
    assert result.currency == "GBP"
    assert result.national_income_tax == D("27432.00")
    assert result.payroll_tax == D("4010.60")
    assert result.take_home == D("68557.40")
    assert result.state_income_tax is None


def test_uk_130000_has_lost_the_allowance():
    # Above 125,140 the allowance is gone (12,570 - (130,000 - 100,000) / 2 < 0): taxable 130,000.
    #   20% of 37,700 = 7,540; 40% of (125,140 - 37,700) = 87,440 -> 34,976;
    #   45% of (130,000 - 125,140) = 4,860 -> 2,187; income tax 44,703.
    # NI: 3,016 + 2% of (130,000 - 50,270) = 79,730 -> 1,594.60; total 4,610.60.
    result = estimate(130000, LONDON)
    assert uk_personal_allowance(D(130000)) == 0
    assert result.national_income_tax == D("44703.00")
    assert result.payroll_tax == D("4610.60")
    assert result.marginal_rate == D("45.0")
    assert any("shrinks by £1 for every £2" in note for note in result.notes)


def test_uk_taper_makes_a_60_percent_band():
    # At 110,000 the allowance is 12,570 - 5,000 = 7,570: each further £100 costs £40 of tax
    # and £50 of allowance (taxed at 40% = £20).
    assert uk_personal_allowance(D(110000)) == D(7570)
    assert estimate(110000, LONDON).marginal_rate == D("60.0")


def test_scotland_has_no_estimate():
    result = estimate_take_home(
        YearIncome(D(80000)), place=TaxPlace("GB", "", "Edinburgh"), household=SINGLE
    )
    assert isinstance(result, NoEstimate)
    assert "Scotland" in result.reason


# --- Germany: §32a EStG 2025 -----------------------------------------------------------------


def test_german_formula_zones():
    assert de_income_tax(D(12096)) == 0
    # Zone 3 at 60,000: z = (60,000 - 17,443) / 10,000 = 4.2557;
    # (176.64 z + 2,397) z + 1,015.13 = 3,148.727... x 4.2557 + 1,015.13 = 14,415.18 -> 14,415
    assert de_income_tax(D(60000)) == D(14415)
    # Zone 4 at 82,733: 0.42 x 82,733 - 10,911.92 = 23,835.94 -> 23,835
    assert de_income_tax(D(82733)) == D(23835)


def test_germany_100000_single_without_children():
    # Social contributions 2025 (employee): pension 9.3% x 96,600 = 8,983.80; unemployment
    # 1.3% x 96,600 = 1,255.80; health 8.55% x 66,150 = 5,655.83; care (childless) 2.4% x 66,150
    # = 1,587.60; total 17,483.03.
    # Deductible: 8,983.80 + 0.96 x 5,655.83 (5,429.60) + 1,587.60 = 16,001.00.
    # Taxable: 100,000 - 1,230 - 36 - 16,001.00 = 82,733 -> income tax 23,835.
    # Solidarity: min(5.5% x 23,835 = 1,310.93, 11.9% x (23,835 - 19,950) = 462.32) = 462.31
    # (rounded down). Total 23,835 + 462.31 + 17,483.03 = 41,780.34.
    result = estimate(100000, BERLIN)
    assert result.currency == "EUR"
    assert result.payroll_tax == D("17483.03")
    assert result.national_income_tax == D("23835.00")
    assert result.solidarity_surcharge == D("462.31")
    assert result.total_tax == D("41780.34")
    assert result.take_home == D("58219.66")


def test_germany_joint_splitting_halves_the_progression():
    assert estimate(100000, BERLIN, JOINT).total_tax < estimate(100000, BERLIN).total_tax


# --- Elsewhere -------------------------------------------------------------------------------


def test_another_country_has_no_estimate():
    result = estimate_take_home(YearIncome(D(90000)), place=TaxPlace("FR"), household=SINGLE)
    assert isinstance(result, NoEstimate)
    assert result.reason == (
        "After-tax estimates cover the United States, the United Kingdom and Germany; "
        "none is made for other countries."
    )


def test_inputs_are_checked():
    with pytest.raises(ValueError):
        Household(dependants=21)
    with pytest.raises(ValueError):
        YearIncome(D(-1))
    assert Household("married_joint").filing_status is FilingStatus.MARRIED_JOINT
    assert FilingStatus.HEAD_OF_HOUSEHOLD.label == "Head of household"


@settings(max_examples=40, deadline=None)
@given(
    wages=st.integers(min_value=0, max_value=2_000_000),
    raise_by=st.integers(min_value=100, max_value=200_000),
    place=st.sampled_from([SEATTLE, SAN_FRANCISCO, TaxPlace("US", "NY"), LONDON, BERLIN]),
    household=st.sampled_from(
        [
            SINGLE,
            JOINT,
            Household(FilingStatus.MARRIED_SEPARATE),
            Household(FilingStatus.HEAD_OF_HOUSEHOLD, dependants=2),
        ]
    ),
)
def test_take_home_never_exceeds_gross_nor_falls_as_pay_rises(wages, raise_by, place, household):
    lower = estimate(wages, place, household)
    higher = estimate(wages + raise_by, place, household)
    assert 0 <= lower.take_home <= lower.gross
    assert higher.take_home >= lower.take_home


# --- An offer's years after tax (offers/after_tax.py) ----------------------------------------


def rsu_offer(**more) -> OfferTerms:
    return OfferTerms(
        currency=more.pop("currency", "USD"),
        base_salary=D(200000),
        bonus_percent=D(10),
        sign_on_year1=D(30000),
        relocation=D(5000),
        equity=EquityGrant(
            kind=more.pop("kind", EquityKind.RSU),
            schedule=VESTING_PRESETS["four_year_quarterly"],
            total_value=D(400000),
            **more,
        ),
        retirement_match_share_percent=D(6),
        retirement_match_rate_percent=D(50),
    )


def test_yearly_incomes_split_pay_by_how_it_is_taxed():
    terms = rsu_offer(value_discount_percent=D(50))
    incomes = yearly_incomes(compute_compensation(terms), terms)
    # Year 1: 200,000 base + 20,000 bonus + 30,000 sign-on + 5,000 relocation; the 6,000 match
    # is the employer's money. RSUs at paper value: 400,000 / 4 = 100,000 (not the 50,000 the
    # person's 50% discount shows).
    assert incomes[0] == YearIncome(D("255000.00"), rsu_income=D("100000.00"))
    assert incomes[1] == YearIncome(D("220000.00"), rsu_income=D("100000.00"))
    assert len(incomes) == 4


def test_the_espp_gain_is_taxed_in_the_year_its_shares_are_bought():
    terms = OfferTerms(
        currency="USD",
        base_salary=D(200000),
        espp=EsppPlan(contribution_percent=D(10), discount_percent=D(15), yearly_limit=None),
        years=1,
    )
    result = compute_compensation(terms)
    (income,) = yearly_incomes(result, terms)
    # Without a share price the gain is the discount alone: 10% x 200,000 = 20,000 buys shares
    # worth 20,000 / 0.85 = 23,529.41, a gain of 3,529.41 (as the engine counts it).
    assert income.espp_gain == result.years[0].espp == D("3529.41")
    assert income.wages == D("200000.00")
    (estimate,) = take_home_by_year(
        result, terms, place=SEATTLE, household=SINGLE, first_tax_year=2025
    )
    assert estimate.notes[-1] == (
        "The ESPP's gain is taxed as ordinary income in the year its shares are bought, as if "
        "they were sold then."
    )


def test_options_are_spread_by_kind():
    def spread(kind):
        terms = OfferTerms(
            currency="USD",
            base_salary=D(150000),
            equity=EquityGrant(
                kind=kind,
                schedule=VESTING_PRESETS["four_year_quarterly"],
                shares=D(10000),
                share_price=D(20),
                strike_price=D(5),
            ),
        )
        return yearly_incomes(compute_compensation(terms), terms)[0]

    # 10,000 shares x (20 - 5) / 4 years = 37,500 of spread a year
    assert spread(EquityKind.NSO).nso_spread == D("37500.00")
    assert spread(EquityKind.ISO).iso_spread == D("37500.00")
    assert spread(EquityKind.ISO).rsu_income == 0


def test_take_home_by_year_and_the_withholding_gap():
    terms = rsu_offer()
    result = compute_compensation(terms)
    estimates = take_home_by_year(
        result, terms, place=SEATTLE, household=SINGLE, first_tax_year=2025
    )
    assert [e.tax_year for e in estimates] == [2025, 2026, 2027, 2028]
    # Year 1 is 355,000 of pay: the same as 355,000 of wages alone.
    assert estimates[0].total_tax == estimate(355000, SEATTLE).total_tax
    gaps = withholding_gaps_by_year(
        result, terms, place=SEATTLE, household=SINGLE, first_tax_year=2025
    )
    # Year 1, worked as in test_the_rsu_withholding_gap_by_hand: taxable without the RSUs
    # 255,000 - 15,750 = 239,250, with them 339,250.
    #   tax(339,250) = 1,192.50 + 4,386 + 12,072.50 + 22,548 + 17,032 + 35% of 88,725 (31,053.75)
    #   = 88,284.75; tax(239,250) = 1,192.50 + 4,386 + 12,072.50 + 22,548 + 32% of 41,950
    #   (13,424) = 53,623.00; due 34,661.75 - withheld 22,000 = 12,661.75.
    assert gaps[0] == D("12661.75")


def test_an_offer_paid_in_another_currency_has_no_estimate():
    terms = rsu_offer(currency="EUR")
    estimates = take_home_by_year(
        compute_compensation(terms), terms, place=SEATTLE, household=SINGLE
    )
    assert estimates[0] == NoEstimate(
        "This offer is paid in EUR: tax in the United States is estimated only for pay in USD."
    )


def test_place_of_a_market_location():
    assert place_of("US", "NY", "New York-Newark-Jersey City, NY-NJ") == TaxPlace(
        "US", "NY", "New York-Newark-Jersey City, NY-NJ"
    )


# --- The after-tax partial -------------------------------------------------------------------


def render_after_tax(terms: OfferTerms, place: TaxPlace) -> str:
    context = after_tax_context(
        compute_compensation(terms), terms, place=place, household=SINGLE, first_tax_year=2025
    )
    return render_to_string("offers/_after_tax.html", context)


def test_the_partial_shows_each_year_and_the_sentence_to_set_aside():
    html = render_after_tax(rsu_offer(), SEATTLE)
    # Year 1: 355,000 of pay in Washington. Federal tax 88,284.75 (worked above);
    # payroll 10,918.20 + 1.45% x 355,000 (5,147.50) + 0.9% x 155,000 (1,395) = 17,460.70;
    # total 105,745.45; take-home 249,254.55 -> "$249,255".
    assert "$355,000" in html
    assert "$88,285" in html
    assert "$17,461" in html
    assert "$249,255" in html
    assert '<td colspan="4" class="text-body-secondary">not estimated</td>' in html  # local tax
    assert "Alternative minimum tax" not in html  # no ISOs, no AMT row
    # Gap 12,661.75 -> "about $12,700", rounded to the nearest 100.
    assert "Your RSUs are withheld at 22%: set aside about $12,700 for April." in html
    assert "Estimate, not tax advice · tax year 2025 rules · tenforty 2025.12" in html
    assert html.count("Income tax for years after 2025 uses the rules") == 1


def test_the_partial_says_plainly_when_there_is_no_estimate():
    terms = rsu_offer(currency="EUR")
    html = render_after_tax(terms, TaxPlace("FR", "", "Paris"))
    assert "No after-tax estimate for this offer. After-tax estimates cover" in html
    assert "<table" not in html


def test_the_partial_for_london_names_national_insurance():
    terms = OfferTerms(currency="GBP", base_salary=D(100000), years=1)
    html = render_after_tax(terms, LONDON)
    assert "National Insurance" in html
    assert "£27,432" in html
    assert "£4,011" in html  # 4,010.60, shown in whole pounds
    assert "£68,557" in html
    assert "tax year 2025-26 rules" in html
    assert "withheld at 22%" not in html


def test_set_aside_rounds_to_hundreds():
    assert set_aside_for_april(D("9967.75")) == D(10000)
    assert set_aside_for_april(D("9449.99")) == D(9400)
    assert set_aside_for_april(D("9450.00")) == D(9500)
