"""After-tax estimates: what a year of an offer's pay leaves once income tax and payroll (social)
taxes are paid. Pure Python like the engine (no Django, no I/O of its own: tenforty writes each
U.S. return to a temporary directory for OpenTaxSolver): frozen dataclasses in and out, money as
`Decimal` (floats only at tenforty's boundary, results rounded to cents). Measured: 2.3 ms for a
U.S. return (federal and state), under 0.1 ms for a U.K. or German year; tenforty's import
(0.15 s, polars) is paid by the first U.S. estimate a process makes.

Every figure is an estimate, not tax advice, and says where it comes from:

- **United States**: federal income tax (with the alternative minimum tax from ISO spread) and
  state income tax from tenforty, which wraps OpenTaxSolver: every state and DC, tax years
  2018-2025, filing statuses. Measured on this project's machine (Python 3.13): tenforty 2025.12
  installs in 4 s and takes 222 MB (polars' runtime is 170 MB of it), and computes one return
  in 1-3 ms. PolicyEngine US 2.68.0 was measured too: 31 s to install, 835 MB, 21 s to import,
  8 s for the first household and 0.5 s for each after, and its core pins pytest, ipython,
  plotly and huggingface-hub into the runtime. tenforty was chosen.
  tenforty has no employee Social Security or Medicare tax: they are computed here from the
  named constants below (SSA's yearly wage base, the IRS's rates), as is the additional
  Medicare tax, on Medicare wages. It computes no child tax credit either, and no local (city
  or county) income tax: a New York City offer's result says plainly that city tax is not in it.
  Years after the newest the library knows use its newest rules, and the notes say so.
- **United Kingdom**: HMRC's published 2025-26 rates for England, Wales and Northern Ireland
  (personal allowance of £12,570 tapering by £1 for every £2 of income above £100,000; basic,
  higher and additional rates) and employee Class 1 National Insurance. PolicyEngine UK
  2.162.10 was measured and not taken: 634 MB installed, 3.1 s to import, then 4.6-4.8 s for
  every household (too slow for a page), with pytest and ipython pinned into the runtime. Its
  figures for £100,000 in 2026 (income tax £27,432, NI £4,010.60) are the ones computed here.
- **Germany**: the §32a EStG 2025 income tax formula (with splitting for married couples filing
  jointly), the solidarity surcharge above its 2025 exemption limit, and the employee's share of
  the statutory social contributions of 2025 (pension, unemployment, health with the average
  additional contribution, long-term care), up to their contribution ceilings.
- Anywhere else: `NoEstimate`, with a plain reason.

Income is taxed the way an employee's is: wages (base, bonus, sign-on, relocation), RSUs as wages
in the year they vest, NSO spread as wages at exercise; ISO spread is no wage in the U.S. and
counts only for the AMT. Take-home is gross pay less every tax shown; the person's own pre-tax
retirement saving lowers the tax but stays theirs.
"""

import importlib.metadata
import threading
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from functools import lru_cache

from offers.compensation import HUNDRED, ZERO, round_cents

ONE_EURO = Decimal("1")
CENT = Decimal("0.01")


class FilingStatus(StrEnum):
    SINGLE = "single"
    MARRIED_JOINT = "married_joint"
    MARRIED_SEPARATE = "married_separate"
    HEAD_OF_HOUSEHOLD = "head_of_household"

    @property
    def label(self) -> str:
        return FILING_STATUS_LABELS[self]


FILING_STATUS_LABELS: dict[FilingStatus, str] = {
    FilingStatus.SINGLE: "Single",
    FilingStatus.MARRIED_JOINT: "Married, filing jointly",
    FilingStatus.MARRIED_SEPARATE: "Married, filing separately",
    FilingStatus.HEAD_OF_HOUSEHOLD: "Head of household",
}
MAX_DEPENDANTS = 20


@dataclass(frozen=True)
class Household:
    """Who the tax return is for: the filing status and the number of dependants."""

    filing_status: FilingStatus = FilingStatus.SINGLE
    dependants: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "filing_status", FilingStatus(self.filing_status))
        if not 0 <= self.dependants <= MAX_DEPENDANTS:
            raise ValueError(f"Dependants are between 0 and {MAX_DEPENDANTS}.")


@dataclass(frozen=True)
class TaxPlace:
    """Where the person lives and pays tax: ISO country code, U.S. state code, city name."""

    country: str
    state: str = ""
    city: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", self.country.strip().upper())
        object.__setattr__(self, "state", self.state.strip().upper())
        object.__setattr__(self, "city", self.city.strip())


@dataclass(frozen=True)
class YearIncome:
    """One calendar year's pay from an offer, split by how it is taxed.

    wages: base + bonus + sign-on + relocation paid that year. rsu_income: RSUs vesting that year
    (taxed as wages). nso_spread: NSO spread at exercise (taxed as wages). iso_spread: ISO spread
    at exercise (U.S.: only the AMT sees it). espp_gain: the discount on ESPP shares bought
    that year, taxed as ordinary income when sold (U.S.: a qualified plan's gain owes no Social
    Security or Medicare; elsewhere it is taxed as pay). pre_tax_retirement: the person's own
    pre-tax retirement saving (401(k), pension), which lowers income tax but not payroll taxes.
    """

    wages: Decimal
    rsu_income: Decimal = ZERO
    nso_spread: Decimal = ZERO
    iso_spread: Decimal = ZERO
    pre_tax_retirement: Decimal = ZERO
    espp_gain: Decimal = ZERO

    def __post_init__(self) -> None:
        amounts = ("wages", "rsu_income", "nso_spread", "iso_spread", "pre_tax_retirement")
        for name in (*amounts, "espp_gain"):
            amount = Decimal(getattr(self, name))
            if amount < ZERO:
                raise ValueError(f"{name} cannot be negative.")
            object.__setattr__(self, name, amount)
        if self.pre_tax_retirement > self.employment_income:
            raise ValueError("Pre-tax retirement saving cannot exceed the pay it comes from.")

    @property
    def employment_income(self) -> Decimal:
        """Pay taxed as wages (and subject to payroll taxes): wages + RSUs + NSO spread."""
        return self.wages + self.rsu_income + self.nso_spread

    @property
    def ordinary_income(self) -> Decimal:
        """What U.S. income tax counts as pay: the employment income and the ESPP gain."""
        return self.employment_income + self.espp_gain

    @property
    def gross(self) -> Decimal:
        """Everything the year pays, ISO spread and ESPP gain included."""
        return self.ordinary_income + self.iso_spread


@dataclass(frozen=True)
class TakeHome:
    """One year's estimate. Rates are percentages of gross (28.6 means 28.6%).

    national_income_tax is the U.S. federal income tax without the AMT (which is `amt`), the U.K.
    or German income tax; Germany's solidarity surcharge is apart. state_income_tax is None
    outside the U.S. (or for a U.S. offer with no state); local_income_tax is None when it is not
    estimated (always, so far). payroll_tax: U.S. Social Security + Medicare (+ additional
    Medicare), U.K. National Insurance, German employee social contributions.
    """

    country: str
    currency: str
    gross: Decimal
    national_income_tax: Decimal
    state_income_tax: Decimal | None
    local_income_tax: Decimal | None
    payroll_tax: Decimal
    amt: Decimal
    solidarity_surcharge: Decimal
    total_tax: Decimal
    take_home: Decimal
    effective_rate: Decimal
    marginal_rate: Decimal
    tax_year: int  # the year asked
    rules_year: int  # the year whose rules were used
    source: str
    notes: tuple[str, ...] = ()
    is_estimate: bool = True


@dataclass(frozen=True)
class NoEstimate:
    """No after-tax figure for this place or year; `reason` is a sentence a person reads."""

    reason: str
    is_estimate: bool = False


def _library_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def _dollars(amount: float) -> Decimal:
    return round_cents(Decimal(str(amount)))


def _percent_of(part: Decimal, whole: Decimal) -> Decimal:
    if whole <= ZERO:
        return ZERO
    return (part * HUNDRED / whole).quantize(Decimal("0.1"))


def _take_home(
    *,
    income: YearIncome,
    country: str,
    currency: str,
    national_income_tax: Decimal,
    state_income_tax: Decimal | None,
    payroll_tax: Decimal,
    amt: Decimal = ZERO,
    solidarity_surcharge: Decimal = ZERO,
    marginal_rate: Decimal,
    tax_year: int,
    rules_year: int,
    source: str,
    notes: list[str],
) -> TakeHome:
    total_tax = national_income_tax + (state_income_tax or ZERO) + payroll_tax + amt
    total_tax += solidarity_surcharge
    gross = round_cents(income.gross)
    return TakeHome(
        country=country,
        currency=currency,
        gross=gross,
        national_income_tax=national_income_tax,
        state_income_tax=state_income_tax,
        local_income_tax=None,
        payroll_tax=payroll_tax,
        amt=round_cents(amt),
        solidarity_surcharge=round_cents(solidarity_surcharge),
        total_tax=total_tax,
        take_home=gross - total_tax,
        effective_rate=_percent_of(total_tax, gross),
        marginal_rate=marginal_rate,
        tax_year=tax_year,
        rules_year=rules_year,
        source=source,
        notes=tuple(notes),
    )


# --- United States ---------------------------------------------------------------------------

US_FIRST_RULES_YEAR = 2018
US_LAST_RULES_YEAR = 2025  # the newest tax year tenforty 2025.12 computes

# Employee payroll taxes, which tenforty leaves out. Social Security: 6.2% of wages up to the
# year's wage base (SSA, "Contribution and benefit base", ssa.gov/oact/cola/cbb.html); Medicare:
# 1.45% of all wages, plus 0.9% additional Medicare tax above a threshold by filing status (IRS,
# Topic no. 751 and 560; the thresholds are fixed in law, not indexed).
SOCIAL_SECURITY_RATE = {year: Decimal("0.062") for year in range(2018, 2027)}
SOCIAL_SECURITY_WAGE_BASE = {
    2018: Decimal("128400"),
    2019: Decimal("132900"),
    2020: Decimal("137700"),
    2021: Decimal("142800"),
    2022: Decimal("147000"),
    2023: Decimal("160200"),
    2024: Decimal("168600"),
    2025: Decimal("176100"),
    2026: Decimal("184500"),
}
MEDICARE_RATE = {year: Decimal("0.0145") for year in range(2018, 2027)}
ADDITIONAL_MEDICARE_RATE = Decimal("0.009")
ADDITIONAL_MEDICARE_THRESHOLD = {
    FilingStatus.SINGLE: Decimal("200000"),
    FilingStatus.HEAD_OF_HOUSEHOLD: Decimal("200000"),
    FilingStatus.MARRIED_JOINT: Decimal("250000"),
    FilingStatus.MARRIED_SEPARATE: Decimal("125000"),
}

# Federal supplemental wage withholding (IRS Publication 15, section 7): 22% flat, 37% on the
# part of a year's supplemental wages above $1,000,000.
SUPPLEMENTAL_WITHHOLDING_RATE = Decimal("0.22")
SUPPLEMENTAL_WITHHOLDING_TOP_RATE = Decimal("0.37")
SUPPLEMENTAL_WITHHOLDING_TOP_FROM = Decimal("1000000")

_TENFORTY_FILING_STATUS = {
    FilingStatus.SINGLE: "Single",
    FilingStatus.MARRIED_JOINT: "Married/Joint",
    FilingStatus.MARRIED_SEPARATE: "Married/Sep",
    FilingStatus.HEAD_OF_HOUSEHOLD: "Head_of_House",
}
# States with no income tax on wages: asked of tenforty as "no state" (it has no 2025 form for
# New Hampshire, whose tax on interest and dividends ended in 2025).
NO_WAGE_TAX_STATES = {
    "AK": "Alaska",
    "FL": "Florida",
    "NH": "New Hampshire",
    "NV": "Nevada",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "WA": "Washington",
    "WY": "Wyoming",
}
# fmt: off
US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL",
    "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE",
    "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VA", "VT", "WA", "WI", "WV", "WY",
})
# fmt: on
# Cities whose residents owe city income tax on wages, by state: the name a place's city or metro
# name contains, and the city's name in the note.
CITIES_WITH_INCOME_TAX = {
    "NY": {"New York": "New York City", "Yonkers": "Yonkers"},
    "PA": {"Philadelphia": "Philadelphia", "Pittsburgh": "Pittsburgh"},
    "MI": {"Detroit": "Detroit"},
    "MO": {"Kansas City": "Kansas City", "St. Louis": "St. Louis"},
    "OH": {"Columbus": "Columbus", "Cleveland": "Cleveland", "Cincinnati": "Cincinnati"},
    "OR": {"Portland": "Portland (Metro and Multnomah County)"},
    "MD": {"Baltimore": "Baltimore"},
}

# Payroll deductions some states take from employees, which neither tenforty nor this module adds.
STATE_PAYROLL_NOTES = {
    "CA": "California's State Disability Insurance (1.2% of wages in 2025) is not included.",
    "WA": "Washington's paid family leave and WA Cares deductions are not included.",
    "NY": "New York's disability and paid family leave deductions are not included.",
    "NJ": "New Jersey's disability, family leave and unemployment deductions are not included.",
    "MA": "Massachusetts' paid family and medical leave deduction is not included.",
    "OR": "Oregon's paid leave and transit deductions are not included.",
    "CO": "Colorado's paid family and medical leave deduction is not included.",
}

# tenforty runs OpenTaxSolver's C programs in-process (their main(), with global state): one
# return at a time.
_tenforty_lock = threading.Lock()


@lru_cache(maxsize=4096)
def _tenforty_return(
    year: int, state: str | None, filing_status: str, dependants: int, w2: float, iso: float
):
    import tenforty  # imported when first needed: 0.2 s (polars) that most processes never pay

    with _tenforty_lock:
        return tenforty.evaluate_return(
            year=year,
            state=state,
            filing_status=filing_status,
            num_dependents=dependants,
            w2_income=w2,
            incentive_stock_option_gains=iso,
        )


def us_rules_year(tax_year: int) -> int | None:
    """The newest year tenforty computes that is no later than `tax_year` (None if none is)."""
    if tax_year < US_FIRST_RULES_YEAR:
        return None
    return min(tax_year, US_LAST_RULES_YEAR)


def _payroll_year(tax_year: int) -> int:
    return max(min(tax_year, max(SOCIAL_SECURITY_WAGE_BASE)), min(SOCIAL_SECURITY_WAGE_BASE))


def us_payroll_tax(income: YearIncome, filing_status: FilingStatus, tax_year: int) -> Decimal:
    """Employee Social Security + Medicare + additional Medicare on the year's wages, in cents.

    Pre-tax retirement saving does not lower them. The wage base is one earner's: the offer's.
    """
    year = _payroll_year(tax_year)
    wages = income.employment_income
    social_security = min(wages, SOCIAL_SECURITY_WAGE_BASE[year]) * SOCIAL_SECURITY_RATE[year]
    medicare = wages * MEDICARE_RATE[year]
    threshold = ADDITIONAL_MEDICARE_THRESHOLD[filing_status]
    additional = max(ZERO, wages - threshold) * ADDITIONAL_MEDICARE_RATE
    return round_cents(social_security) + round_cents(medicare) + round_cents(additional)


def _local_tax_note(place: TaxPlace) -> str:
    for name, city in CITIES_WITH_INCOME_TAX.get(place.state, {}).items():
        if name.lower() in place.city.lower():
            return (
                f"{city} residents also pay city income tax on wages; it is not included "
                "(local income tax is not estimated)."
            )
    return "Local (city or county) income tax is not estimated."


def _estimate_us(
    income: YearIncome, place: TaxPlace, household: Household, tax_year: int
) -> TakeHome | NoEstimate:
    rules_year = us_rules_year(tax_year)
    if rules_year is None:
        return NoEstimate(f"U.S. tax before {US_FIRST_RULES_YEAR} is not estimated.")
    if place.state and place.state not in US_STATES:
        return NoEstimate(f"{place.state} is not a U.S. state code this estimate knows.")
    notes = [_local_tax_note(place)]
    if place.state in NO_WAGE_TAX_STATES:
        ask_state, state_known = None, True
        notes.append(f"{NO_WAGE_TAX_STATES[place.state]} has no state income tax on wages.")
    elif place.state:
        ask_state, state_known = place.state, True
    else:
        ask_state, state_known = None, False
        notes.append("State income tax is not estimated: the offer's place has no U.S. state.")
    if place.state in STATE_PAYROLL_NOTES:
        notes.append(STATE_PAYROLL_NOTES[place.state])
    w2 = income.ordinary_income - income.pre_tax_retirement
    try:
        result = _tenforty_return(
            rules_year,
            ask_state,
            _TENFORTY_FILING_STATUS[household.filing_status],
            household.dependants,
            float(w2),
            float(income.iso_spread),
        )
    except Exception as error:  # tenforty raises ValueError, OTSError or pydantic's errors
        return NoEstimate(
            f"The U.S. tax estimate for {place.state or 'this place'} in {rules_year} failed "
            f"({type(error).__name__})."
        )
    amt = _dollars(result.federal_amt)
    if rules_year != tax_year:
        notes.append(
            f"Income tax for years after {rules_year} uses the rules of tax year {rules_year}, "
            "the newest this estimate has."
        )
    payroll_year = _payroll_year(tax_year)
    notes.append(
        f"Social Security (6.2% up to the {payroll_year} wage base of "
        f"${SOCIAL_SECURITY_WAGE_BASE[payroll_year]:,}) and Medicare (1.45%, plus 0.9% above "
        f"${ADDITIONAL_MEDICARE_THRESHOLD[household.filing_status]:,}) are from the SSA's and "
        "IRS's published rates."
    )
    if household.filing_status in (FilingStatus.MARRIED_JOINT, FilingStatus.MARRIED_SEPARATE):
        notes.append("Figured as if this offer's pay were the household's only income.")
    if household.dependants:
        notes.append("The child tax credit and other credits for dependants are not included.")
    if amt:
        notes.append("The ISO spread brings in the alternative minimum tax (AMT).")
    return _take_home(
        income=income,
        country="US",
        currency="USD",
        national_income_tax=_dollars(result.federal_income_tax) - amt,
        state_income_tax=_dollars(result.state_total_tax) if state_known else None,
        payroll_tax=us_payroll_tax(income, household.filing_status, tax_year),
        amt=amt,
        marginal_rate=Decimal(str(result.federal_tax_bracket)).quantize(Decimal("0.1")),
        tax_year=tax_year,
        rules_year=rules_year,
        source=(
            f"tenforty {_library_version('tenforty')} (OpenTaxSolver), U.S. tax year {rules_year}"
        ),
        notes=notes,
    )


# --- United Kingdom --------------------------------------------------------------------------

# HMRC, "Income Tax rates and Personal Allowances" and "Rates and thresholds for employers
# 2025 to 2026" (gov.uk): England, Wales and Northern Ireland.
UK_RULES = "2025-26"
UK_PERSONAL_ALLOWANCE = Decimal("12570")
UK_ALLOWANCE_TAPER_FROM = Decimal("100000")  # £1 of allowance lost for every £2 above
UK_BASIC_RATE_BAND = Decimal("37700")  # of taxable income, at 20%
UK_ADDITIONAL_RATE_FROM = Decimal("125140")  # taxable income above it at 45%; 40% between
UK_BASIC_RATE = Decimal("0.20")
UK_HIGHER_RATE = Decimal("0.40")
UK_ADDITIONAL_RATE = Decimal("0.45")
UK_NI_PRIMARY_THRESHOLD = Decimal("12570")
UK_NI_UPPER_EARNINGS_LIMIT = Decimal("50270")
UK_NI_MAIN_RATE = Decimal("0.08")
UK_NI_UPPER_RATE = Decimal("0.02")
SCOTTISH_CITIES = ("Edinburgh", "Glasgow", "Aberdeen", "Dundee", "Inverness", "Stirling", "Perth")


def uk_personal_allowance(adjusted_net_income: Decimal) -> Decimal:
    over = max(ZERO, adjusted_net_income - UK_ALLOWANCE_TAPER_FROM)
    return max(ZERO, UK_PERSONAL_ALLOWANCE - (over / 2).to_integral_value(ROUND_DOWN))


def uk_income_tax(adjusted_net_income: Decimal) -> Decimal:
    """Income tax at HMRC's 2025-26 rates on income after pension saving, in pence."""
    taxable = max(ZERO, adjusted_net_income - uk_personal_allowance(adjusted_net_income))
    basic = min(taxable, UK_BASIC_RATE_BAND)
    higher = min(taxable, UK_ADDITIONAL_RATE_FROM) - basic if taxable > basic else ZERO
    additional = max(ZERO, taxable - UK_ADDITIONAL_RATE_FROM)
    tax = basic * UK_BASIC_RATE + higher * UK_HIGHER_RATE + additional * UK_ADDITIONAL_RATE
    return round_cents(tax)


def uk_national_insurance(earnings: Decimal) -> Decimal:
    """Employee Class 1 National Insurance on a year's earnings (annual thresholds), in pence."""
    main = max(ZERO, min(earnings, UK_NI_UPPER_EARNINGS_LIMIT) - UK_NI_PRIMARY_THRESHOLD)
    upper = max(ZERO, earnings - UK_NI_UPPER_EARNINGS_LIMIT)
    return round_cents(main * UK_NI_MAIN_RATE + upper * UK_NI_UPPER_RATE)


def _estimate_uk(
    income: YearIncome, place: TaxPlace, household: Household, tax_year: int
) -> TakeHome | NoEstimate:
    if place.state == "SCT" or any(city in place.city for city in SCOTTISH_CITIES):
        return NoEstimate(
            "Scotland sets its own income tax rates and bands, which this estimate does not have."
        )
    # U.K. options (unapproved ones, as a U.S. employer's usually are) are taxed as pay at exercise.
    earnings = income.gross
    adjusted_net_income = earnings - income.pre_tax_retirement
    income_tax = uk_income_tax(adjusted_net_income)
    step = Decimal("100")
    marginal = (uk_income_tax(adjusted_net_income + step) - income_tax) / step * HUNDRED
    notes = [
        f"HMRC's {UK_RULES} rates for England, Wales and Northern Ireland.",
        "Stock options are taxed as pay when exercised; EMI and CSOP options are taxed differently.",
    ]
    if adjusted_net_income > UK_ALLOWANCE_TAPER_FROM:
        notes.append(
            "The personal allowance shrinks by £1 for every £2 of income above £100,000 "
            "and is gone from £125,140."
        )
    if tax_year != 2025:
        notes.append(f"HMRC's {UK_RULES} rates are used for the other years too.")
    if household.filing_status != FilingStatus.SINGLE:
        notes.append("U.K. income tax is charged per person: filing status does not change it.")
    if household.dependants:
        notes.append(
            "The High Income Child Benefit Charge (from £60,000 of income) is not included."
        )
    return _take_home(
        income=income,
        country="GB",
        currency="GBP",
        national_income_tax=income_tax,
        state_income_tax=None,
        payroll_tax=uk_national_insurance(earnings),
        marginal_rate=marginal.quantize(Decimal("0.1")),
        tax_year=tax_year,
        rules_year=2025,
        source=f"HMRC income tax and Class 1 National Insurance rates, {UK_RULES}",
        notes=notes,
    )


# --- Germany ---------------------------------------------------------------------------------

# Employee social contributions 2025 (Sozialversicherungs-Rechengrößenverordnung 2025, SGB V,
# SGB XI): shares of gross pay up to the yearly contribution ceilings.
DE_PENSION_RATE = Decimal("0.093")  # Rentenversicherung, half of 18.6%
DE_UNEMPLOYMENT_RATE = Decimal("0.013")  # Arbeitslosenversicherung, half of 2.6%
DE_HEALTH_RATE = Decimal("0.0855")  # Krankenversicherung: half of 14.6% + half of 2.5% average
DE_CARE_RATE = Decimal("0.018")  # Pflegeversicherung, half of 3.6%
DE_CARE_CHILDLESS_SURCHARGE = Decimal("0.006")  # paid by the employee alone
DE_CARE_PER_CHILD_REDUCTION = Decimal("0.0025")  # from the 2nd to the 5th child under 25
DE_PENSION_CEILING = Decimal("96600")  # Beitragsbemessungsgrenze RV/AV 2025
DE_HEALTH_CEILING = Decimal("66150")  # Beitragsbemessungsgrenze KV/PV 2025
DE_EMPLOYEE_ALLOWANCE = Decimal("1230")  # Arbeitnehmer-Pauschbetrag, §9a EStG
DE_SPECIAL_EXPENSES_ALLOWANCE = Decimal("36")  # Sonderausgaben-Pauschbetrag, §10c EStG
DE_SOLIDARITY_RATE = Decimal("0.055")
DE_SOLIDARITY_PHASE_IN_RATE = Decimal("0.119")
DE_SOLIDARITY_EXEMPT_UP_TO = Decimal("19950")  # income tax, per person (doubled when joint)


def de_income_tax(taxable_income: Decimal) -> Decimal:
    """§32a EStG 2025 (Grundtarif) on taxable income, rounded down to whole euros."""
    x = taxable_income.to_integral_value(ROUND_DOWN)
    if x <= 12096:
        tax = ZERO
    elif x <= 17443:
        y = (x - 12096) / Decimal(10000)
        tax = (Decimal("932.30") * y + 1400) * y
    elif x <= 68480:
        z = (x - 17443) / Decimal(10000)
        tax = (Decimal("176.64") * z + 2397) * z + Decimal("1015.13")
    elif x <= 277825:
        tax = Decimal("0.42") * x - Decimal("10911.92")
    else:
        tax = Decimal("0.45") * x - Decimal("19246.67")
    return tax.to_integral_value(ROUND_DOWN)


def de_social_contributions(earnings: Decimal, dependants: int) -> dict[str, Decimal]:
    """The employee's 2025 contributions by branch, in cents (statutory health insurance)."""
    pension_base = min(earnings, DE_PENSION_CEILING)
    health_base = min(earnings, DE_HEALTH_CEILING)
    if dependants == 0:
        care_rate = DE_CARE_RATE + DE_CARE_CHILDLESS_SURCHARGE
    else:
        care_rate = DE_CARE_RATE - DE_CARE_PER_CHILD_REDUCTION * (min(dependants, 5) - 1)
    return {
        "pension": round_cents(pension_base * DE_PENSION_RATE),
        "unemployment": round_cents(pension_base * DE_UNEMPLOYMENT_RATE),
        "health": round_cents(health_base * DE_HEALTH_RATE),
        "care": round_cents(health_base * care_rate),
    }


def _de_taxes(taxable_income: Decimal, joint: bool) -> tuple[Decimal, Decimal]:
    """Income tax (splitting when joint) and solidarity surcharge on it."""
    if joint:
        income_tax = 2 * de_income_tax(taxable_income / 2)
        exempt = 2 * DE_SOLIDARITY_EXEMPT_UP_TO
    else:
        income_tax = de_income_tax(taxable_income)
        exempt = DE_SOLIDARITY_EXEMPT_UP_TO
    solidarity = ZERO
    if income_tax > exempt:
        solidarity = min(
            income_tax * DE_SOLIDARITY_RATE, (income_tax - exempt) * DE_SOLIDARITY_PHASE_IN_RATE
        ).quantize(CENT, rounding=ROUND_DOWN)
    return income_tax, solidarity


def _estimate_de(
    income: YearIncome, place: TaxPlace, household: Household, tax_year: int
) -> TakeHome:
    earnings = income.gross
    contributions = de_social_contributions(earnings, household.dependants)
    # Deductible: the pension share in full, health less the 4% for sick pay, care in full.
    deductible = contributions["pension"] + contributions["health"] * Decimal("0.96")
    deductible += contributions["care"]
    joint = household.filing_status == FilingStatus.MARRIED_JOINT
    special = DE_SPECIAL_EXPENSES_ALLOWANCE * (2 if joint else 1)
    taxable = earnings - income.pre_tax_retirement - DE_EMPLOYEE_ALLOWANCE - special - deductible
    taxable = max(ZERO, taxable)
    income_tax, solidarity = _de_taxes(taxable, joint)
    step = Decimal("100")
    marginal = (_de_taxes(taxable + step, joint)[0] - income_tax) / step * HUNDRED
    notes = [
        "Income tax by the §32a EStG 2025 formula after the employee allowance (€1,230), the "
        "special-expenses allowance and the deductible social contributions.",
        "Social contributions are the employee's share of statutory pension (9.3%), "
        "unemployment (1.3%), health (8.55%, with the average additional rate) and care "
        "insurance, up to the 2025 ceilings; private health insurance is not modelled.",
        "Church tax is not included (8-9% of income tax for church members).",
    ]
    if joint:
        notes.append("Married couples filing jointly: splitting, as if this were the only pay.")
    if household.dependants:
        notes.append("Child benefit (Kindergeld) and child allowances are not included.")
    if tax_year != 2025:
        notes.append("The 2025 rules are used for the other years too.")
    return _take_home(
        income=income,
        country="DE",
        currency="EUR",
        national_income_tax=round_cents(income_tax),
        state_income_tax=None,
        payroll_tax=sum(contributions.values(), ZERO),
        solidarity_surcharge=solidarity,
        marginal_rate=marginal.quantize(Decimal("0.1")),
        tax_year=tax_year,
        rules_year=2025,
        source="§32a EStG 2025, solidarity surcharge and 2025 employee social contributions",
        notes=notes,
    )


# --- The entry points ------------------------------------------------------------------------

CURRENCY_OF_COUNTRY = {"US": "USD", "GB": "GBP", "DE": "EUR"}
_ESTIMATORS = {"US": _estimate_us, "GB": _estimate_uk, "DE": _estimate_de}


@lru_cache(maxsize=8192)
def _estimate(
    income: YearIncome, place: TaxPlace, household: Household, tax_year: int
) -> TakeHome | NoEstimate:
    estimator = _ESTIMATORS.get(place.country)
    if estimator is None:
        return NoEstimate(
            "After-tax estimates cover the United States, the United Kingdom and Germany; "
            "none is made for other countries."
        )
    return estimator(income, place, household, tax_year)


def estimate_take_home(
    income: YearIncome,
    *,
    place: TaxPlace,
    household: Household,
    tax_year: int | None = None,
) -> TakeHome | NoEstimate:
    """The year's taxes and what is left, or why there is no estimate.

    `tax_year` defaults to this calendar year. Results are cached by their (frozen) inputs.
    """
    year = date.today().year if tax_year is None else tax_year
    return _estimate(income, place, household, year)


def supplemental_withholding(supplemental_wages: Decimal) -> Decimal:
    """Federal withholding on supplemental wages: 22%, and 37% on the part above $1,000,000."""
    top = max(ZERO, supplemental_wages - SUPPLEMENTAL_WITHHOLDING_TOP_FROM)
    flat = supplemental_wages - top
    return round_cents(
        flat * SUPPLEMENTAL_WITHHOLDING_RATE + top * SUPPLEMENTAL_WITHHOLDING_TOP_RATE
    )


def rsu_withholding_gap(
    income: YearIncome,
    *,
    place: TaxPlace,
    household: Household,
    tax_year: int | None = None,
) -> Decimal:
    """Federal income tax the year's RSUs add, less what supplemental withholding takes; >= 0.

    The RSUs' own tax is the federal income tax (AMT included) with them minus without them.
    Withholding counts the RSUs alone as the year's supplemental wages. U.S. only: 0 elsewhere,
    and 0 when there is no estimate.
    """
    if place.country != "US" or income.rsu_income <= ZERO:
        return ZERO
    with_rsus = estimate_take_home(income, place=place, household=household, tax_year=tax_year)
    without = estimate_take_home(
        replace(income, rsu_income=ZERO), place=place, household=household, tax_year=tax_year
    )
    if not isinstance(with_rsus, TakeHome) or not isinstance(without, TakeHome):
        return ZERO
    due = (with_rsus.national_income_tax + with_rsus.amt) - (
        without.national_income_tax + without.amt
    )
    return max(ZERO, due - supplemental_withholding(income.rsu_income))
