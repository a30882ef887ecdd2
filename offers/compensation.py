"""Compensation engine: what an offer is worth year by year, and what leaving early costs.

Pure Python on purpose (no Django, no I/O): views, comparisons and counter-offers all share it,
and it can be tested exhaustively. Frozen dataclasses in, frozen dataclasses out; money is
`Decimal`, never float.

Rounding rules, so every figure on screen adds up:
- each money component is rounded to cents (ROUND_HALF_UP) once per year;
- every total is the exact sum of those rounded components;
- vesting rounds the *cumulative* vested amount at each vest event and takes each instalment as
  the difference, so a schedule always sums exactly to the grant.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum
from functools import lru_cache

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
MONTHS_PER_YEAR = 12
DEFAULT_YEARS_WITHOUT_EQUITY = 4
# Days after leaving to buy vested options: 90 is the usual post-termination window; some plans
# give up to ten years.
DEFAULT_EXERCISE_WINDOW_DAYS = 90
MAX_EXERCISE_WINDOW_DAYS = 3650
# An ESPP takes at most 15% of pay and gives at most a 15% discount (U.S. plans, section 423).
ESPP_MAX_PERCENT = Decimal("15")
ESPP_OFFERING_MONTHS = (6, 12, 24)
# U.S. plans (section 423) let a person buy at most $25,000 of stock a calendar year, the stock
# valued at the price on the first day of its offering.
ESPP_YEARLY_LIMIT_USD = Decimal("25000")

# Enough digits that prices, growth factors and share counts multiply exactly for any realistic
# offer, so the only rounding that happens is the deliberate rounding to cents.
WORKING_PRECISION = Context(prec=60)


def round_cents(amount: Decimal) -> Decimal:
    """Round to cents, half up (how payslips and offer letters round)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _as_decimal(value: Decimal | int | str, what: str) -> Decimal:
    # Floats would bring binary rounding errors into money; refuse them loudly.
    if isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, not a float ({value!r}).")
    return Decimal(value)


def employment_year(month: int) -> int:
    """Employment year an event at `month` counts in: months 1-12 are year 1 (month 12 too)."""
    return max(1, -(-month // MONTHS_PER_YEAR))


def _growth_factor(yearly_change_percent: Decimal, years: int) -> Decimal:
    # Explicit 1 for zero years: Decimal refuses 0 ** 0 when the price falls by 100%.
    if years <= 0:
        return ONE
    return (ONE + yearly_change_percent / HUNDRED) ** years


class TermsError(ValueError):
    """Terms the engine refuses, naming the term at fault (`field`, as the engine's dataclasses
    call it), so a form can show the message beside its own field."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


# --- Vesting ---------------------------------------------------------------------------------


class VestingPercentagesError(TermsError):
    """Yearly vesting percentages that are not each 0..100 adding up to 100 (the one check)."""

    def __init__(self, percentages: Sequence[Decimal]) -> None:
        self.percentages = tuple(percentages)
        self.total = sum(self.percentages, ZERO)
        self.out_of_range = any(p < ZERO or p > HUNDRED for p in self.percentages)
        shown = "/".join(str(p) for p in self.percentages) or "nothing"
        super().__init__(
            "Yearly vesting percentages must each be between 0 and 100 and must add up to "
            f"100 (got {shown}).",
            field="yearly_percentages",
        )


class VestingFrequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def months_between_vests(self) -> int:
        return {"monthly": 1, "quarterly": 3, "annual": 12}[self.value]


@dataclass(frozen=True)
class VestingSchedule:
    """How a grant vests: a percentage per year, an optional cliff, and a vesting frequency.

    Within a year its percentage is spread evenly over that year's vest events. Everything due
    before the cliff vests at the cliff (a cliff is stated, not spread over years).
    """

    yearly_percentages: tuple[Decimal, ...]
    cliff_months: int = 0
    frequency: VestingFrequency = VestingFrequency.QUARTERLY

    def __post_init__(self) -> None:
        percentages = tuple(
            _as_decimal(p, "A yearly vesting percentage") for p in self.yearly_percentages
        )
        # Normalise here so schedules built from lists, ints or plain strings compare equal.
        object.__setattr__(self, "yearly_percentages", percentages)
        object.__setattr__(self, "frequency", VestingFrequency(self.frequency))
        if (
            not percentages
            or any(p < ZERO or p > HUNDRED for p in percentages)
            or sum(percentages, ZERO) != HUNDRED
        ):
            raise VestingPercentagesError(percentages)
        if self.cliff_months < 0:
            raise ValueError("The vesting cliff cannot be negative.")

    @property
    def years(self) -> int:
        return len(self.yearly_percentages)

    def _vested_ratio(self, months: int) -> tuple[Decimal, int]:
        """Share vested after `months`, as (numerator, denominator) so callers can multiply
        before dividing and stay exact."""
        if months <= 0 or months < self.cliff_months:
            return ZERO, 1
        step = self.frequency.months_between_vests
        vests_per_year = MONTHS_PER_YEAR // step
        full_years, months_into_year = divmod(months // step * step, MONTHS_PER_YEAR)
        if full_years >= self.years:
            return ONE, 1
        done = sum(self.yearly_percentages[:full_years], ZERO) * vests_per_year
        partial = self.yearly_percentages[full_years] * (months_into_year // step)
        return done + partial, vests_per_year * 100

    def cumulative_fraction(self, months: int) -> Decimal:
        """Share (0..1) vested after `months` whole months since vesting start."""
        numerator, denominator = self._vested_ratio(months)
        return numerator / denominator

    def vest_months(self) -> tuple[int, ...]:
        """Months after vesting start at which something vests (the cliff included)."""
        return _vest_months(self)

    def _find_vest_months(self) -> tuple[int, ...]:
        last = max(self.years * MONTHS_PER_YEAR, self.cliff_months)
        months = []
        previous_num, previous_den = ZERO, 1
        for month in range(1, last + 1):
            num, den = self._vested_ratio(month)
            if num * previous_den > previous_num * den:  # compare fractions without dividing
                months.append(month)
                previous_num, previous_den = num, den
        return tuple(months)


# Schedules are frozen and few (the presets, each custom one), and leaving month by month asks for
# the same schedule's vest months dozens of times a page.
@lru_cache(maxsize=256)
def _vest_months(schedule: VestingSchedule) -> tuple[int, ...]:
    return schedule._find_vest_months()


def _vested_part(amount: Decimal, schedule: VestingSchedule, months: int) -> Decimal:
    """round_cents(amount x cumulative fraction), multiplying before dividing to stay exact."""
    numerator, denominator = schedule._vested_ratio(months)
    with localcontext(WORKING_PRECISION):
        return round_cents(amount * numerator / denominator)


def vesting_instalments(
    schedule: VestingSchedule, grant: Decimal
) -> tuple[tuple[int, Decimal], ...]:
    """(months after vesting start, amount) for each vest event; always sums to the grant."""
    instalments = []
    previous = ZERO
    for month in schedule.vest_months():
        cumulative = _vested_part(grant, schedule, month)
        instalments.append((month, cumulative - previous))
        previous = cumulative
    return tuple(instalments)


def custom_schedule(
    yearly_percentages: Sequence[Decimal],
    cliff_months: int = 0,
    frequency: VestingFrequency | str = VestingFrequency.QUARTERLY,
) -> VestingSchedule:
    """A user-defined schedule; ValueError unless the percentages are 0..100 and add up to 100."""
    return VestingSchedule(
        yearly_percentages=tuple(yearly_percentages),
        cliff_months=cliff_months,
        frequency=VestingFrequency(frequency),
    )


def _percentages(*values: int) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


VESTING_PRESETS: dict[str, VestingSchedule] = {
    "four_year_cliff_monthly": VestingSchedule(
        _percentages(25, 25, 25, 25), cliff_months=12, frequency=VestingFrequency.MONTHLY
    ),
    "four_year_quarterly": VestingSchedule(
        _percentages(25, 25, 25, 25), frequency=VestingFrequency.QUARTERLY
    ),
    "back_loaded_5_15_40_40": VestingSchedule(
        _percentages(5, 15, 40, 40), cliff_months=12, frequency=VestingFrequency.QUARTERLY
    ),
    "front_loaded_33_33_22_12": VestingSchedule(
        _percentages(33, 33, 22, 12), frequency=VestingFrequency.QUARTERLY
    ),
    "front_loaded_40_30_20_10": VestingSchedule(
        _percentages(40, 30, 20, 10), frequency=VestingFrequency.QUARTERLY
    ),
}

PRESET_LABELS: dict[str, str] = {
    "four_year_cliff_monthly": "4 years, 25% at a 1-year cliff, then monthly",
    "four_year_quarterly": "4 years, 25% a year, quarterly, no cliff",
    "back_loaded_5_15_40_40": "Back-loaded 5/15/40/40, 1-year cliff, then quarterly",
    "front_loaded_33_33_22_12": "Front-loaded 33/33/22/12, quarterly",
    "front_loaded_40_30_20_10": "Front-loaded 40/30/20/10, quarterly",
}

REFRESHER_SCHEDULE = VESTING_PRESETS["four_year_quarterly"]


# --- Offer terms -----------------------------------------------------------------------------


class EquityKind(StrEnum):
    NONE = "none"
    RSU = "rsu"
    ISO = "iso"
    NSO = "nso"

    @property
    def is_option(self) -> bool:
        return self in (EquityKind.ISO, EquityKind.NSO)


EQUITY_KIND_LABELS: dict[EquityKind, str] = {
    EquityKind.NONE: "No equity",
    EquityKind.RSU: "RSUs (restricted stock units)",
    EquityKind.ISO: "Stock options (ISO)",
    EquityKind.NSO: "Stock options (NSO)",
}
OPTION_KINDS = frozenset(kind for kind in EquityKind if kind.is_option)


@dataclass(frozen=True)
class EquityGrant:
    """The initial equity grant, plus optional yearly refreshers.

    RSUs are valued as a value at today's price that moves with the assumed price change:
    `total_value` when given (it wins over `shares`), else shares x share_price, else (a value
    with no price) the value itself at a notional price of 1. Options are valued per share as
    max(0, price that year - strike) and need `shares` and `share_price`.

    `value_discount_percent` marks every vest down (initial grant and refreshers alike) by that
    share, as a risk-adjusted view of illiquid private equity; 0 is paper value.

    Options only: `exercise_window_days` is how long after leaving vested options can still be
    bought; `early_exercise` means the plan lets you buy unvested shares at the strike now, and
    `election_83b` (only with early exercise) that you would be taxed on the spread at grant.
    """

    kind: EquityKind
    schedule: VestingSchedule
    vesting_start_months: int = 0
    total_value: Decimal | None = None
    shares: Decimal | None = None
    share_price: Decimal | None = None
    strike_price: Decimal = ZERO
    yearly_price_change_percent: Decimal = ZERO
    yearly_refresher_value: Decimal = ZERO
    illiquid: bool = False
    value_discount_percent: Decimal = ZERO
    exercise_window_days: int = DEFAULT_EXERCISE_WINDOW_DAYS
    early_exercise: bool = False
    election_83b: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", EquityKind(self.kind))
        discount = _as_decimal(self.value_discount_percent, "A value discount")
        object.__setattr__(self, "value_discount_percent", discount)
        if not ZERO <= discount <= HUNDRED:
            raise TermsError(
                "A discount on the equity's value is between 0% and 100%.",
                field="value_discount_percent",
            )
        if self.vesting_start_months < 0:
            raise ValueError("Vesting cannot start before employment starts.")
        if self.yearly_price_change_percent < -HUNDRED:
            raise ValueError("A share price cannot fall by more than 100% a year.")
        if self.yearly_refresher_value < ZERO:
            raise ValueError("A refresher value cannot be negative.")
        if self.kind.is_option and (self.shares is None or self.share_price is None):
            raise ValueError("Stock options need a number of shares and an assumed share price.")
        if (
            self.kind == EquityKind.RSU
            and self.total_value is None
            and (self.shares is None or self.share_price is None)
        ):
            raise ValueError("RSUs need a total value, or a number of shares and a share price.")
        self._check_option_terms()

    def _check_option_terms(self) -> None:
        if not 0 <= self.exercise_window_days <= MAX_EXERCISE_WINDOW_DAYS:
            raise TermsError(
                f"The exercise window is between 0 and {MAX_EXERCISE_WINDOW_DAYS:,} days.",
                field="exercise_window_days",
            )
        if self.early_exercise and not self.kind.is_option:
            raise TermsError(
                "Early exercise applies only to stock options.", field="early_exercise"
            )
        if self.election_83b and not self.early_exercise:
            raise TermsError(
                "An 83(b) election needs early exercise: it is made when buying unvested shares.",
                field="election_83b",
            )

    @property
    def has_equity(self) -> bool:
        return self.kind != EquityKind.NONE

    @property
    def kept_value_share(self) -> Decimal:
        """Share (0..1) of each vest's value counted: 1 at paper value."""
        return (HUNDRED - self.value_discount_percent) / HUNDRED

    def price_in_year(self, year: int) -> Decimal:
        """Assumed share price in an employment year (year 1 = today's price); unrounded."""
        price = self.share_price if self.share_price is not None else ONE
        return price * _growth_factor(self.yearly_price_change_percent, year - 1)


@dataclass(frozen=True)
class Perk:
    name: str
    yearly_amount: Decimal


@dataclass(frozen=True)
class EsppPlan:
    """An employee stock purchase plan: a share of base salary buys the company's shares at a
    discount at the end of each purchase period.

    The purchase price is (1 - discount) x the price at purchase, or with a look-back x the lower
    of that and the price at the offering's start. Offerings of 6 or 12 months buy once, at
    their end; 24-month offerings buy every 6 months, each time looking back to the offering's
    start. The price moves with `yearly_price_change_percent`, compounded month by month (a
    look-back compares two days' prices, not two years'). Without a share price the gain is the
    discount alone. `yearly_limit` is the stock value (at offering-start prices) that may be
    bought in a year; contributions over it are refunded, gaining nothing.
    """

    contribution_percent: Decimal
    discount_percent: Decimal = ESPP_MAX_PERCENT
    lookback: bool = False
    offering_months: int = ESPP_OFFERING_MONTHS[0]
    share_price: Decimal | None = None
    yearly_price_change_percent: Decimal = ZERO
    yearly_limit: Decimal | None = ESPP_YEARLY_LIMIT_USD

    def __post_init__(self) -> None:
        for field, what in (
            ("contribution_percent", "ESPP contribution"),
            ("discount_percent", "ESPP discount"),
        ):
            value = _as_decimal(getattr(self, field), f"An {what}")
            object.__setattr__(self, field, value)
            if not ZERO <= value <= ESPP_MAX_PERCENT:
                raise TermsError(
                    f"An {what} is between 0% and {ESPP_MAX_PERCENT}%.", field=f"espp_{field}"
                )
        if self.offering_months not in ESPP_OFFERING_MONTHS:
            raise TermsError(
                "An ESPP offering lasts 6, 12 or 24 months.", field="espp_offering_months"
            )
        if self.yearly_price_change_percent < -HUNDRED:
            raise ValueError("A share price cannot fall by more than 100% a year.")

    @property
    def purchase_months(self) -> int:
        return self.offering_months if self.offering_months <= MONTHS_PER_YEAR else 6

    @property
    def has_price(self) -> bool:
        return self.share_price is not None and self.share_price > ZERO

    def price_at_month(self, month: int) -> Decimal:
        """Assumed share price `month` employment months from today; unrounded."""
        assert self.share_price is not None
        if month <= 0:
            return self.share_price
        growth = ONE + self.yearly_price_change_percent / HUNDRED
        if month % MONTHS_PER_YEAR == 0:
            return self.share_price * growth ** (month // MONTHS_PER_YEAR)
        return self.share_price * growth ** (Decimal(month) / MONTHS_PER_YEAR)


class ClawbackRepayment(StrEnum):
    """How a sign-on is repaid on leaving inside the clawback period (contracts differ)."""

    FULL = "full"  # the whole payment, however late in the period
    PRO_RATA = "pro_rata"  # the share of the period not yet served


@dataclass(frozen=True)
class OfferTerms:
    currency: str
    base_salary: Decimal
    yearly_raise_percent: Decimal = ZERO
    bonus_percent: Decimal | None = None
    bonus_fixed: Decimal | None = None
    sign_on_year1: Decimal = ZERO
    sign_on_year2: Decimal = ZERO
    clawback_months: int = 0
    clawback_repayment: ClawbackRepayment = ClawbackRepayment.FULL
    relocation: Decimal = ZERO
    equity: EquityGrant | None = None
    retirement_match_share_percent: Decimal = ZERO
    retirement_match_rate_percent: Decimal = ZERO
    retirement_match_cap: Decimal | None = None
    health_contribution: Decimal = ZERO
    perks: tuple[Perk, ...] = ()
    years: int | None = None
    espp: EsppPlan | None = None

    def __post_init__(self) -> None:
        if self.bonus_percent is not None and self.bonus_fixed is not None:
            raise ValueError("Give the target bonus as a percentage or a fixed amount, not both.")
        if self.years is not None and self.years < 1:
            raise ValueError("The horizon must be at least one year.")
        if self.clawback_months < 0:
            raise ValueError("A clawback period cannot be negative.")
        object.__setattr__(self, "perks", tuple(self.perks))
        object.__setattr__(self, "clawback_repayment", ClawbackRepayment(self.clawback_repayment))

    @property
    def has_equity(self) -> bool:
        return self.equity is not None and self.equity.has_equity

    @property
    def horizon_years(self) -> int:
        """Years shown: as given, else the equity schedule's length, else 4."""
        if self.years is not None:
            return self.years
        if self.equity is not None and self.equity.has_equity:
            return max(1, self.equity.schedule.years)
        return DEFAULT_YEARS_WITHOUT_EQUITY

    def base_in_year(self, year: int) -> Decimal:
        """Base salary in employment year `year`: base x (1 + raise)^(year - 1), in cents."""
        with localcontext(WORKING_PRECISION):
            return round_cents(
                self.base_salary * _growth_factor(self.yearly_raise_percent, year - 1)
            )

    def bonus_in_year(self, year: int) -> Decimal:
        if self.bonus_fixed is not None:
            return round_cents(self.bonus_fixed)
        if self.bonus_percent is not None:
            with localcontext(WORKING_PRECISION):
                return round_cents(self.base_in_year(year) * self.bonus_percent / HUNDRED)
        return ZERO

    def sign_on_in_year(self, year: int) -> Decimal:
        if year == 1:
            return round_cents(self.sign_on_year1)
        if year == 2:
            return round_cents(self.sign_on_year2)
        return ZERO

    def retirement_match_in_year(self, year: int) -> Decimal:
        """Base x matched share of salary x match rate, within the plan's yearly cap."""
        with localcontext(WORKING_PRECISION):
            match = (
                self.base_in_year(year)
                * self.retirement_match_share_percent
                * self.retirement_match_rate_percent
                / (HUNDRED * HUNDRED)
            )
            if self.retirement_match_cap is not None:
                match = min(match, self.retirement_match_cap)
            return round_cents(match)


# --- ESPP ------------------------------------------------------------------------------------


def _espp_gains(terms: OfferTerms, last_month: int) -> Iterator[tuple[int, Decimal]]:
    """(employment month, gain) for each ESPP purchase at or before `last_month`; unrounded, so
    a year's gains are rounded once, together. The gain is the shares' value at purchase less
    what they cost."""
    plan = terms.espp
    if plan is None:
        return
    step = plan.purchase_months
    discount = plan.discount_percent / HUNDRED
    bought_in_year: dict[int, Decimal] = {}  # stock value at offering-start prices, for the limit
    for month in range(step, last_month + 1, step):
        year = employment_year(month)  # a purchase period lies within one employment year
        room = None
        if plan.yearly_limit is not None:
            room = max(ZERO, plan.yearly_limit - bought_in_year.get(year, ZERO))
        with localcontext(WORKING_PRECISION):
            contribution = (
                terms.base_in_year(year) * plan.contribution_percent / HUNDRED * step
            ) / MONTHS_PER_YEAR
            if not plan.has_price:
                # Bought at (1 - d) of a price that doesn't move: worth contribution / (1 - d).
                value = contribution / (ONE - discount)
                if room is not None:
                    value = min(value, room)
                bought = value
                gain = value * discount
            else:
                offering_start = (month - 1) // plan.offering_months * plan.offering_months
                start_price = plan.price_at_month(offering_start)
                price = plan.price_at_month(month)
                basis = min(start_price, price) if plan.lookback else price
                purchase_price = (ONE - discount) * basis
                if purchase_price <= ZERO:
                    continue  # worthless shares: nothing is bought, contributions are refunded
                shares = contribution / purchase_price
                if room is not None:
                    shares = min(shares, room / start_price)
                bought = shares * start_price
                gain = shares * (price - purchase_price)
            bought_in_year[year] = bought_in_year.get(year, ZERO) + bought
        yield month, gain


def _espp_by_year(terms: OfferTerms, last_month: int) -> dict[int, Decimal]:
    """Each employment year's ESPP gain from purchases at or before `last_month`, in cents."""
    gains: dict[int, Decimal] = {}
    for month, gain in _espp_gains(terms, last_month):
        year = employment_year(month)
        gains[year] = gains.get(year, ZERO) + gain
    return {year: round_cents(gain) for year, gain in gains.items()}


# --- Equity valuation ------------------------------------------------------------------------


@dataclass(frozen=True)
class _GrantPlan:
    """One grant (the initial one or a refresher) reduced to what valuation needs."""

    granted_month: int  # employment month the grant is made (0 = at hire)
    vesting_start_month: int  # employment month its vesting clock starts
    schedule: VestingSchedule
    units: Decimal  # shares for options; value at the grant-date price otherwise
    unit_value: Callable[[int], Decimal]  # value of one unit in an employment year

    def vest_events(self) -> Iterator[tuple[int, Decimal, Decimal]]:
        """(employment month, units vested, units vested x that year's value), in order.

        Units are split with cumulative rounding, so they always add up to the grant; the value
        is left unrounded so that callers round it only once, cumulatively.
        """
        previous = ZERO
        for month in self.schedule.vest_months():
            cumulative = _vested_part(self.units, self.schedule, month)
            employment_month = self.vesting_start_month + month
            delta = cumulative - previous
            previous = cumulative
            with localcontext(WORKING_PRECISION):
                value = delta * self.unit_value(employment_year(employment_month))
            yield employment_month, delta, value

    def value_by_year(self, horizon: int) -> tuple[Decimal, ...]:
        """Vested value per employment year; events past the horizon are ignored."""
        vested_by_year = [ZERO] * (horizon + 1)
        for month, _, value in self.vest_events():
            year = employment_year(month)
            if year > horizon:
                break
            vested_by_year[year] += value
        amounts = []
        running = ZERO
        shown_so_far = ZERO
        for year in range(1, horizon + 1):
            running += vested_by_year[year]
            rounded = round_cents(running)
            amounts.append(rounded - shown_so_far)
            shown_so_far = rounded
        return tuple(amounts)


def _grant_plans(equity: EquityGrant | None, last_grant_month: int) -> list[_GrantPlan]:
    """The initial grant and every refresher granted at or before `last_grant_month`."""
    if equity is None or not equity.has_equity:
        return []
    change = equity.yearly_price_change_percent
    # Exactly 1 at paper value, so an undiscounted grant multiplies by nothing at all.
    kept = equity.kept_value_share

    if equity.kind.is_option:
        assert equity.shares is not None  # guaranteed by EquityGrant validation
        units = equity.shares
        strike = equity.strike_price

        def initial_value(year: int) -> Decimal:
            return max(ZERO, equity.price_in_year(year) - strike) * kept

    else:
        if equity.total_value is not None:
            units = equity.total_value
        else:
            assert equity.shares is not None and equity.share_price is not None
            units = equity.shares * equity.share_price

        def initial_value(year: int) -> Decimal:
            return _growth_factor(change, year - 1) * kept

    plans = [
        _GrantPlan(
            granted_month=0,
            vesting_start_month=equity.vesting_start_months,
            schedule=equity.schedule,
            units=units,
            unit_value=initial_value,
        )
    ]
    if equity.yearly_refresher_value > ZERO:
        anniversary = 1
        while anniversary * MONTHS_PER_YEAR <= last_grant_month:
            # A refresher is a value at the price of the year it is granted in (the anniversary
            # month counts in the year that ends there); it then moves with the share price.
            # Options get refreshers as values too, since their value is what offers state.
            def refresher_value(year: int, granted_in: int = anniversary) -> Decimal:
                return _growth_factor(change, year - granted_in) * kept

            plans.append(
                _GrantPlan(
                    granted_month=anniversary * MONTHS_PER_YEAR,
                    vesting_start_month=anniversary * MONTHS_PER_YEAR,
                    schedule=REFRESHER_SCHEDULE,
                    units=equity.yearly_refresher_value,
                    unit_value=refresher_value,
                )
            )
            anniversary += 1
    return plans


# --- Year-by-year value ----------------------------------------------------------------------


@dataclass(frozen=True)
class YearBreakdown:
    year: int
    base: Decimal
    bonus: Decimal
    sign_on: Decimal
    relocation: Decimal
    equity_by_grant: tuple[Decimal, ...]  # initial grant first, then refreshers in grant order
    equity: Decimal
    retirement_match: Decimal
    health: Decimal
    perks: Decimal
    espp: Decimal  # the ESPP's gain on the shares bought this year (see EsppPlan)
    benefits: Decimal  # retirement_match + health + perks + espp
    recurring_total: Decimal  # base + bonus + equity + benefits
    one_time_total: Decimal  # sign_on + relocation
    total: Decimal  # recurring_total + one_time_total


@dataclass(frozen=True)
class CompensationSplit:
    """Horizon totals by kind: guaranteed cash = base + sign-on + relocation; variable = bonus;
    benefits include the ESPP's gain, also given alone as `espp`."""

    guaranteed_cash: Decimal
    variable_pay: Decimal
    equity: Decimal
    benefits: Decimal
    total: Decimal
    espp: Decimal = ZERO  # part of `benefits`, not added to the total again


@dataclass(frozen=True)
class CompensationResult:
    currency: str
    years: tuple[YearBreakdown, ...]
    first_year_total: Decimal
    average_yearly_total: Decimal  # recurring pay only: one-time items are never averaged in
    cumulative_totals: tuple[Decimal, ...]
    total: Decimal
    split: CompensationSplit
    equity_is_illiquid: bool
    options_underwater: bool  # options whose assumed price <= strike in year 1


# Terms are frozen and the result depends on nothing else, so a repeat asks nothing new: pages
# that show the same offers again (lists, compare, negotiate) get the result from memory.
@lru_cache(maxsize=4096)
def compute_compensation(terms: OfferTerms) -> CompensationResult:
    """What the offer is worth in each year of the horizon, and over the whole horizon."""
    horizon = terms.horizon_years
    # Refreshers granted at the last anniversary inside the horizon vest only after it.
    plans = _grant_plans(terms.equity, last_grant_month=(horizon - 1) * MONTHS_PER_YEAR)
    equity_rows = [plan.value_by_year(horizon) for plan in plans]
    perk_amounts = [round_cents(perk.yearly_amount) for perk in terms.perks]
    health = round_cents(terms.health_contribution)
    relocation = round_cents(terms.relocation)
    espp_by_year = _espp_by_year(terms, last_month=horizon * MONTHS_PER_YEAR)

    years = []
    for year in range(1, horizon + 1):
        base = terms.base_in_year(year)
        bonus = terms.bonus_in_year(year)
        sign_on = terms.sign_on_in_year(year)
        year_relocation = relocation if year == 1 else ZERO
        equity_by_grant = tuple(row[year - 1] for row in equity_rows)
        equity = sum(equity_by_grant, ZERO)
        retirement_match = terms.retirement_match_in_year(year)
        perks = sum(perk_amounts, ZERO)
        espp = espp_by_year.get(year, ZERO)
        benefits = retirement_match + health + perks + espp
        recurring_total = base + bonus + equity + benefits
        one_time_total = sign_on + year_relocation
        years.append(
            YearBreakdown(
                year=year,
                base=base,
                bonus=bonus,
                sign_on=sign_on,
                relocation=year_relocation,
                equity_by_grant=equity_by_grant,
                equity=equity,
                retirement_match=retirement_match,
                health=health,
                perks=perks,
                espp=espp,
                benefits=benefits,
                recurring_total=recurring_total,
                one_time_total=one_time_total,
                total=recurring_total + one_time_total,
            )
        )

    cumulative_totals = []
    running = ZERO
    for breakdown in years:
        running += breakdown.total
        cumulative_totals.append(running)

    guaranteed_cash = sum((y.base + y.sign_on + y.relocation for y in years), ZERO)
    variable_pay = sum((y.bonus for y in years), ZERO)
    equity_total = sum((y.equity for y in years), ZERO)
    benefits_total = sum((y.benefits for y in years), ZERO)
    split = CompensationSplit(
        guaranteed_cash=guaranteed_cash,
        variable_pay=variable_pay,
        equity=equity_total,
        benefits=benefits_total,
        total=guaranteed_cash + variable_pay + equity_total + benefits_total,
        espp=sum((y.espp for y in years), ZERO),
    )

    equity = terms.equity
    with localcontext(WORKING_PRECISION):
        average = round_cents(sum((y.recurring_total for y in years), ZERO) / horizon)
    return CompensationResult(
        currency=terms.currency,
        years=tuple(years),
        first_year_total=years[0].total,
        average_yearly_total=average,
        cumulative_totals=tuple(cumulative_totals),
        total=cumulative_totals[-1],
        split=split,
        equity_is_illiquid=terms.has_equity and equity is not None and equity.illiquid,
        options_underwater=(
            equity is not None
            and equity.kind.is_option
            and equity.price_in_year(1) <= equity.strike_price
        ),
    )


# --- Leaving early ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveOutcome:
    """What someone keeps and gives back when leaving after `months` of employment.

    Bonus choice: only bonuses for *completed* employment years count, because a target bonus
    is normally paid after its year and only to people still employed; base is pro rata.
    The retirement match is paid in with each salary payment, so it counts pro rata like base
    and is part of `net`: at 12 months, net + benefits_used is the first-year total (less any
    sign-on owed back or paid at month 12). So is the ESPP's gain on the shares bought by
    then (contributions not yet used are refunded on leaving, gaining nothing). Health and perks
    are used while employed, not taken away, so they stay out of `net` and are given as
    `benefits_used`.
    """

    months: int
    cash_earned: Decimal  # base pro rata + bonuses of full years + sign-ons received + relocation
    vested_equity: Decimal  # at the price of the year each instalment vested
    forfeited_equity: Decimal  # unvested part of grants made by then, at the leaving year's price
    sign_on_repayment: Decimal
    retirement_match: Decimal  # employer match paid in, pro rata like base
    benefits_used: Decimal  # health contribution and perks, pro rata; not in `net`
    # cash_earned + vested_equity + retirement_match + espp_gain - sign_on_repayment
    net: Decimal
    # Relocation is not clawed back in this model (clauses vary too much to assume one); the
    # field exists so a later model can fill it without changing callers. Listed after `net`
    # only because a dataclass field with a default must follow those without.
    relocation_repayment: Decimal = ZERO
    # Options: the vested shares of the initial grant, and the cash needed to keep them
    # (vested shares x strike), payable within `exercise_window_days` of leaving. Their value
    # is already net of the strike (vested_equity counts the spread), so it is not in `net`
    # a second time: keeping them costs this much cash on top. 0 (and no window) for RSUs.
    vested_option_shares: Decimal = ZERO
    exercise_cost: Decimal = ZERO
    exercise_window_days: int | None = None
    espp_gain: Decimal = ZERO  # on the ESPP shares bought by then; in `net`


# Sign-on payments: (employment month paid, which field). Year 2's is paid at month 12.
SIGN_ON_PAYMENTS = ((0, "sign_on_year1"), (MONTHS_PER_YEAR, "sign_on_year2"))


def sign_on_owed(terms: OfferTerms, amount: Decimal, months_since_paid: int) -> Decimal:
    """What is repaid of a sign-on of `amount` when leaving `months_since_paid` after it was
    paid: nothing once the clawback period is over; else all of it, or (pro rata) the share of
    the period not yet served: 30,000 with 12 months, left after 4 → 30,000 x 8/12 = 20,000."""
    period = terms.clawback_months
    if months_since_paid >= period:
        return ZERO
    if terms.clawback_repayment == ClawbackRepayment.FULL:
        return amount
    with localcontext(WORKING_PRECISION):
        return round_cents(amount * (period - months_since_paid) / period)


def _pro_rata_by_year(
    months: int, yearly_amount: Callable[[int], Decimal]
) -> tuple[Decimal, Decimal]:
    """(Sum of each year's amount for the months worked in it, sum for the completed years)."""
    pro_rata = full_years = ZERO
    for year in range(1, employment_year(months) + 1):
        months_in_year = min(MONTHS_PER_YEAR, max(0, months - (year - 1) * MONTHS_PER_YEAR))
        amount = yearly_amount(year)
        with localcontext(WORKING_PRECISION):
            pro_rata += round_cents(amount * months_in_year / MONTHS_PER_YEAR)
        if months_in_year == MONTHS_PER_YEAR:
            full_years += amount
    return pro_rata, full_years


def _equity_on_leaving(terms: OfferTerms, months: int) -> tuple[Decimal, Decimal]:
    """(Equity vested by `months`, equity forfeited then)."""
    vested_equity = ZERO
    forfeited_equity = ZERO
    leaving_year = employment_year(months)
    for plan in _grant_plans(terms.equity, last_grant_month=months):
        vested_value = ZERO
        for month, _, value in plan.vest_events():
            if month > months:
                break
            vested_value += value
        vested_equity += round_cents(vested_value)
        # Forfeited = whole grant minus the vested units, both at the leaving year's price, so
        # at a constant price vested + forfeited is exactly the grant's value.
        vested_units = _vested_part(plan.units, plan.schedule, months - plan.vesting_start_month)
        all_units = round_cents(plan.units)
        with localcontext(WORKING_PRECISION):
            unit_value = plan.unit_value(leaving_year)
            forfeited_equity += round_cents(all_units * unit_value) - round_cents(
                vested_units * unit_value
            )
    return vested_equity, forfeited_equity


def leave_after(terms: OfferTerms, months: int) -> LeaveOutcome:
    """Outcome of leaving after `months` whole months. Events at or before `months` happen:
    leaving at month 12 keeps the one-year cliff and the refresher granted at the anniversary.
    A sign-on is repaid (in full or pro rata, as the terms say) when leaving fewer than
    `clawback_months` months after it was paid (leaving exactly at the end repays nothing)."""
    if months < 0:
        raise ValueError("Months worked cannot be negative.")

    base_earned, _ = _pro_rata_by_year(months, terms.base_in_year)
    _, bonus_earned = _pro_rata_by_year(months, terms.bonus_in_year)
    retirement_match, _ = _pro_rata_by_year(months, terms.retirement_match_in_year)
    yearly_perks = sum((round_cents(perk.yearly_amount) for perk in terms.perks), ZERO)
    yearly_used = round_cents(terms.health_contribution) + yearly_perks
    benefits_used, _ = _pro_rata_by_year(months, lambda year: yearly_used)

    sign_ons_received = ZERO
    sign_on_repayment = ZERO
    for paid_month, field_name in SIGN_ON_PAYMENTS:
        amount = round_cents(getattr(terms, field_name))
        if months >= paid_month:
            sign_ons_received += amount
            sign_on_repayment += sign_on_owed(terms, amount, months - paid_month)

    cash_earned = base_earned + bonus_earned + sign_ons_received + round_cents(terms.relocation)
    vested_equity, forfeited_equity = _equity_on_leaving(terms, months)
    espp_gain = sum(_espp_by_year(terms, last_month=months).values(), ZERO)
    equity = terms.equity
    options = equity is not None and equity.kind.is_option
    vested_option_shares = _vested_option_shares(equity, months) if options else ZERO

    return LeaveOutcome(
        months=months,
        cash_earned=cash_earned,
        vested_equity=vested_equity,
        forfeited_equity=forfeited_equity,
        sign_on_repayment=sign_on_repayment,
        retirement_match=retirement_match,
        benefits_used=benefits_used,
        net=cash_earned + vested_equity + retirement_match + espp_gain - sign_on_repayment,
        vested_option_shares=vested_option_shares,
        exercise_cost=_exercise_cost(equity, vested_option_shares) if options else ZERO,
        exercise_window_days=equity.exercise_window_days if options else None,
        espp_gain=espp_gain,
    )


# --- Options: what they cost to buy ----------------------------------------------------------
# Only the initial grant is a number of options with a strike; refreshers are stated as values
# (see _grant_plans), so they have no shares to buy here.


def _option_plan(equity: EquityGrant) -> _GrantPlan:
    return _grant_plans(equity, last_grant_month=0)[0]


def _vested_option_shares(equity: EquityGrant, months: int) -> Decimal:
    plan = _option_plan(equity)
    return _vested_part(plan.units, plan.schedule, months - plan.vesting_start_month)


def _exercise_cost(equity: EquityGrant, shares: Decimal) -> Decimal:
    with localcontext(WORKING_PRECISION):
        return round_cents(shares * equity.strike_price)


@dataclass(frozen=True)
class OptionsVestingYear:
    """Options vesting in one employment year, and what buying them then costs and is worth."""

    year: int
    vested_shares: Decimal
    exercise_cost: Decimal  # vested shares x strike: the cash to buy what vests this year
    # vested shares x (that year's price - strike), at paper value whatever the value discount:
    # the taxable spread when exercised as they vest
    spread_at_exercise: Decimal


def _rounded_by_year(amounts: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """Each year's amount as the difference of rounded running totals, so the years add up to
    the rounded whole."""
    rounded = []
    running = shown = ZERO
    for amount in amounts:
        running += amount
        total = round_cents(running)
        rounded.append(total - shown)
        shown = total
    return tuple(rounded)


def options_by_year(terms: OfferTerms) -> tuple[OptionsVestingYear, ...]:
    """For an option grant, each year of the horizon's vested shares, the cost to exercise them
    and their spread then; empty when the offer has no options."""
    equity = terms.equity
    if equity is None or not equity.kind.is_option:
        return ()
    horizon = terms.horizon_years
    shares = [ZERO] * horizon
    spreads = [ZERO] * horizon
    for month, vested, _ in _option_plan(equity).vest_events():
        year = employment_year(month)
        if year > horizon:
            break
        with localcontext(WORKING_PRECISION):
            shares[year - 1] += vested
            spreads[year - 1] += vested * max(
                ZERO, equity.price_in_year(year) - equity.strike_price
            )
    costs = [amount * equity.strike_price for amount in shares]
    return tuple(
        OptionsVestingYear(year, vested, cost, spread)
        for year, vested, cost, spread in zip(
            range(1, horizon + 1),
            shares,
            _rounded_by_year(costs),
            _rounded_by_year(spreads),
            strict=True,
        )
    )


def exercise_cost_by_year(terms: OfferTerms) -> tuple[Decimal, ...]:
    """The cost to exercise the options vesting in each year of the horizon (zeros without
    options), adding up to the cost of exercising everything vested by the horizon's end."""
    by_year = options_by_year(terms)
    if not by_year:
        return (ZERO,) * terms.horizon_years
    return tuple(year.exercise_cost for year in by_year)


def early_exercise_cost(terms: OfferTerms) -> Decimal | None:
    """Cash to buy the whole option grant at hire (shares x strike), when the plan allows early
    exercise; None otherwise."""
    equity = terms.equity
    if equity is None or not equity.kind.is_option or not equity.early_exercise:
        return None
    assert equity.shares is not None  # guaranteed by EquityGrant validation
    return _exercise_cost(equity, equity.shares)


def spread_at_grant(terms: OfferTerms) -> Decimal | None:
    """The spread taxed at grant with an 83(b) election: shares x max(0, today's price -
    strike), 0 when the strike is today's price; None without an election."""
    equity = terms.equity
    if equity is None or not equity.election_83b:
        return None
    assert equity.shares is not None and equity.share_price is not None
    with localcontext(WORKING_PRECISION):
        return round_cents(equity.shares * max(ZERO, equity.share_price - equity.strike_price))


def discounted_equity(result: CompensationResult, discount_percent: Decimal) -> Decimal:
    """Equity over the horizon after a discount for illiquidity (private shares); the raw
    figure stays in `result.split.equity`."""
    if not ZERO <= discount_percent <= HUNDRED:
        raise ValueError("An illiquidity discount is between 0% and 100%.")
    return round_cents(result.split.equity * (HUNDRED - discount_percent) / HUNDRED)
