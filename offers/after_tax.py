"""An offer's years after tax: the engine's year-by-year result turned into taxable income per
year (offers/take_home.py estimates the tax). Pure Python like the engine (no Django, no I/O).

How an engine year becomes a tax year's income:
- wages: base + bonus + sign-on + relocation paid that year;
- equity vesting that year, at paper value (a value discount the person chose for illiquid
  equity is a view of its worth, not of its tax): RSUs as RSU income, NSO spread as wages, ISO
  spread for the AMT only; options are taken as exercised when they vest;
- the ESPP's gain on the shares bought that year, as ordinary income (taken as sold that year);
- the employer's retirement match, health contribution and perks are not pay: not taxed here.
Employment year 1 is taxed as `first_tax_year` (this calendar year unless given), year 2 as the
next, and so on. Estimates are made only for pay in the country's own currency.
"""

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from offers.compensation import (
    HUNDRED,
    ZERO,
    CompensationResult,
    EquityKind,
    OfferTerms,
    compute_compensation,
)
from offers.take_home import (
    CURRENCY_OF_COUNTRY,
    Household,
    NoEstimate,
    TakeHome,
    TaxPlace,
    YearIncome,
    estimate_take_home,
    rsu_withholding_gap,
)

COUNTRY_NAMES = {"US": "the United States", "GB": "the United Kingdom", "DE": "Germany"}
OPTIONS_EXERCISED_NOTE = "Stock options are taken as exercised, and taxed, in the year they vest."
ESPP_NOTE = (
    "The ESPP's gain is taxed as ordinary income in the year its shares are bought, as if they "
    "were sold then."
)
ILLIQUID_RSU_NOTE = (
    "Private-company RSUs are often taxed only once the shares can be sold; here they are taxed "
    "in the year they vest."
)


def place_of(country: str, state_code: str, city_name: str) -> TaxPlace:
    """The tax place of a market location (benchmarks.Location's country, state_code, name)."""
    return TaxPlace(country=country or "", state=state_code or "", city=city_name or "")


def _paper_result(result: CompensationResult, terms: OfferTerms) -> CompensationResult:
    """The result with equity at paper value (tax is due on what vests, not on a discount)."""
    equity = terms.equity
    if equity is None or equity.value_discount_percent == ZERO:
        return result
    return compute_compensation(replace(terms, equity=replace(equity, value_discount_percent=ZERO)))


def yearly_incomes(result: CompensationResult, terms: OfferTerms) -> tuple[YearIncome, ...]:
    """Each employment year's pay, split by how it is taxed."""
    kind = terms.equity.kind if terms.has_equity and terms.equity is not None else EquityKind.NONE
    incomes = []
    for year in _paper_result(result, terms).years:
        vested = year.equity
        incomes.append(
            YearIncome(
                wages=year.base + year.bonus + year.sign_on + year.relocation,
                rsu_income=vested if kind == EquityKind.RSU else ZERO,
                nso_spread=vested if kind == EquityKind.NSO else ZERO,
                iso_spread=vested if kind == EquityKind.ISO else ZERO,
                espp_gain=year.espp,
            )
        )
    return tuple(incomes)


def _currency_mismatch(terms: OfferTerms, place: TaxPlace) -> NoEstimate | None:
    expected = CURRENCY_OF_COUNTRY.get(place.country)
    if expected is None or terms.currency == expected:
        return None
    return NoEstimate(
        f"This offer is paid in {terms.currency}: tax in {COUNTRY_NAMES[place.country]} is "
        f"estimated only for pay in {expected}."
    )


def _equity_notes(terms: OfferTerms) -> tuple[str, ...]:
    equity = terms.equity
    if not terms.has_equity or equity is None:
        return ()
    if equity.kind.is_option:
        return (OPTIONS_EXERCISED_NOTE,)
    if equity.illiquid:
        return (ILLIQUID_RSU_NOTE,)
    return ()


def _tax_years(
    result: CompensationResult, terms: OfferTerms, place: TaxPlace, first_tax_year: int | None
) -> NoEstimate | tuple[tuple[int, YearIncome], ...]:
    """Each employment year's tax year and income, or the reason there is no estimate."""
    mismatch = _currency_mismatch(terms, place)
    if mismatch is not None:
        return mismatch
    first = date.today().year if first_tax_year is None else first_tax_year
    return tuple(enumerate(yearly_incomes(result, terms), start=first))


def _take_home(
    years: NoEstimate | tuple[tuple[int, YearIncome], ...],
    result: CompensationResult,
    terms: OfferTerms,
    place: TaxPlace,
    household: Household,
) -> tuple[TakeHome | NoEstimate, ...]:
    if isinstance(years, NoEstimate):
        return tuple(years for _ in result.years)
    extra_notes = _equity_notes(terms)
    estimates = []
    for tax_year, income in years:
        estimate = estimate_take_home(income, place=place, household=household, tax_year=tax_year)
        notes = extra_notes if income.gross - income.espp_gain != income.wages else ()
        if income.espp_gain:
            notes += (ESPP_NOTE,)
        if isinstance(estimate, TakeHome) and notes:
            estimate = replace(estimate, notes=estimate.notes + notes)
        estimates.append(estimate)
    return tuple(estimates)


def _withholding_gaps(
    years: NoEstimate | tuple[tuple[int, YearIncome], ...],
    result: CompensationResult,
    place: TaxPlace,
    household: Household,
) -> tuple[Decimal, ...]:
    if isinstance(years, NoEstimate):
        return tuple(ZERO for _ in result.years)
    return tuple(
        rsu_withholding_gap(income, place=place, household=household, tax_year=tax_year)
        for tax_year, income in years
    )


def take_home_by_year(
    result: CompensationResult,
    terms: OfferTerms,
    *,
    place: TaxPlace,
    household: Household,
    first_tax_year: int | None = None,
) -> tuple[TakeHome | NoEstimate, ...]:
    """One estimate (or the reason there is none) per year of the offer's horizon."""
    years = _tax_years(result, terms, place, first_tax_year)
    return _take_home(years, result, terms, place, household)


def withholding_gaps_by_year(
    result: CompensationResult,
    terms: OfferTerms,
    *,
    place: TaxPlace,
    household: Household,
    first_tax_year: int | None = None,
) -> tuple[Decimal, ...]:
    """Per year: federal tax on the RSUs beyond the 22% withheld from them (0 if none)."""
    years = _tax_years(result, terms, place, first_tax_year)
    return _withholding_gaps(years, result, place, household)


def set_aside_for_april(gap: Decimal) -> Decimal:
    """The withholding gap as the page says it: "about" the nearest 100 (half up)."""
    return (gap / HUNDRED).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * HUNDRED


def after_tax_context(
    result: CompensationResult,
    terms: OfferTerms,
    *,
    place: TaxPlace,
    household: Household,
    first_tax_year: int | None = None,
) -> dict:
    """What templates/offers/_after_tax.html reads: the estimates per year, their notes said
    once, the currency, and the first year's RSU withholding gap (exact, and rounded for its
    sentence)."""
    years = _tax_years(result, terms, place, first_tax_year)
    gaps = _withholding_gaps(years, result, place, household)
    first_gap = gaps[0] if gaps else ZERO
    estimates = _take_home(years, result, terms, place, household)
    return {
        "after_tax": estimates,
        "after_tax_notes": after_tax_notes(estimates),
        "after_tax_has_amt": any(isinstance(e, TakeHome) and e.amt > ZERO for e in estimates),
        "currency": terms.currency,
        "withholding_gap": first_gap,
        "set_aside": set_aside_for_april(first_gap),
    }


def after_tax_notes(estimates: tuple[TakeHome | NoEstimate, ...]) -> tuple[str, ...]:
    """Every year's notes, each said once, in the order they first appear."""
    notes: dict[str, None] = {}
    for estimate in estimates:
        if isinstance(estimate, TakeHome):
            notes.update(dict.fromkeys(estimate.notes))
    return tuple(notes)
