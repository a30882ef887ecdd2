"""Walking away: what leaving an offer after each month of the horizon leaves a person with.

Pure Python like the engine it reads (no Django, no I/O). Every month is the engine's own
`leave_after(terms, month)`, so the timeline can never disagree with the one-month answer on the
offer page; this module only lays those answers out month by month and, when given tax rates,
estimates what is left after tax.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from operator import attrgetter

from offers.compensation import (
    MONTHS_PER_YEAR,
    ONE,
    SIGN_ON_PAYMENTS,
    WORKING_PRECISION,
    ZERO,
    LeaveOutcome,
    OfferTerms,
    employment_year,
    leave_after,
    round_cents,
    sign_on_owed,
)


@dataclass(frozen=True)
class TimelineMonth(LeaveOutcome):
    """Leaving after `months` whole months: the engine's `LeaveOutcome` (its `net` is
    cash_received + equity_vested + retirement_match + espp_gain - sign_on_owed; `benefits_used`
    is not in it), with an estimate after tax and the timeline's names for four of its figures.
    Options: the cash to buy the vested shares (`exercise_cost`) is needed on top of `net`, whose
    `equity_vested` already counts them after the strike."""

    net_after_tax: Decimal | None = None  # an estimate, only when tax rates are given

    cash_received = property(
        attrgetter("cash_earned"),
        doc="Base pro rata, bonuses of completed years, sign-ons, relocation.",
    )
    equity_vested = property(
        attrgetter("vested_equity"),
        doc="Cumulative, at the price of the year each instalment vested.",
    )
    equity_unvested = property(attrgetter("forfeited_equity"), doc="Forfeited when leaving then.")
    sign_on_owed = property(
        attrgetter("sign_on_repayment"),
        doc="The clawback due when leaving then (in full or pro rata).",
    )


@dataclass(frozen=True)
class Timeline:
    """One `TimelineMonth` for each month from 0 (leaving on the first day) to the last."""

    currency: str
    months: tuple[TimelineMonth, ...]
    taxed: bool  # whether each month has a `net_after_tax`
    has_options: bool  # whether keeping vested equity costs an exercise
    has_espp: bool

    @property
    def last_month(self) -> int:
        return self.months[-1].months

    def at(self, month: int) -> TimelineMonth:
        """Leaving after `month` months; IndexError outside 0..last_month."""
        if not 0 <= month <= self.last_month:
            raise IndexError(f"The timeline covers months 0 to {self.last_month}, not {month}.")
        return self.months[month]


def leaving_timeline(
    terms: OfferTerms,
    *,
    months: int | None = None,
    tax_rate_by_year: Sequence[Decimal] | None = None,
) -> Timeline:
    """Leaving after each month 0..`months` (default: the whole horizon, horizon_years x 12).

    `tax_rate_by_year` is an effective rate (0..1) per employment year, the last one repeated for
    later years. Net after tax is an estimate: each employment year's taxable income (cash
    received and equity vested in that year, months 1-12 being year 1 as the engine counts them,
    so month 12's bonus and second sign-on count in year 1) is taxed at that year's rate, a
    sign-on repaid on leaving reduces the taxable income of the year it was paid (it is repaid
    before tax, as if never earned), and the retirement match is left untaxed (employer pension
    contributions are usually taxed only when drawn). Vested equity is taxed as it vests (for
    options, their spread over the strike, as if bought then) and an ESPP's gain when the
    shares are bought; real rules for options and ESPP shares differ by kind and by when they
    are sold.
    """
    last = terms.horizon_years * MONTHS_PER_YEAR if months is None else months
    if last < 0:
        raise ValueError("Months worked cannot be negative.")
    return _timeline(terms, last, _checked_rates(tax_rate_by_year))


# Measured (one leave_after a month): 3 ms for 48 months of a cash-only offer, 8 ms with options,
# 24 ms with refreshers, a rising price and an ESPP; 13, 36 and 133 ms for 120 months. Nearly all
# of it is the engine recounting vest months and ESPP prices for every month. Terms are frozen,
# so a page that shows the offer again (the leave form's htmx answers, Compare) gets the
# timeline from memory, as with compute_compensation.
@lru_cache(maxsize=256)
def _timeline(terms: OfferTerms, last: int, rates: tuple[Decimal, ...] | None) -> Timeline:
    outcomes = [leave_after(terms, month) for month in range(last + 1)]
    # Taxable income received by the end of each month, before any clawback.
    received = [o.cash_earned + o.vested_equity + o.espp_gain for o in outcomes]
    timeline = []
    for outcome in outcomes:
        after_tax = None
        if rates is not None:
            tax = _tax_on_leaving(terms, outcome.months, received, rates)
            after_tax = outcome.net - tax
        timeline.append(_timeline_month(outcome, after_tax))
    return Timeline(
        currency=terms.currency,
        months=tuple(timeline),
        taxed=rates is not None,
        has_options=terms.equity is not None and terms.equity.kind.is_option,
        has_espp=terms.espp is not None,
    )


def _timeline_month(outcome: LeaveOutcome, net_after_tax: Decimal | None) -> TimelineMonth:
    return TimelineMonth(**vars(outcome), net_after_tax=net_after_tax)


def _checked_rates(rates: Sequence[Decimal] | None) -> tuple[Decimal, ...] | None:
    if rates is None:
        return None
    checked = tuple(rates)
    if not checked:
        raise ValueError("Give at least one year's tax rate, or none at all.")
    for rate in checked:
        if isinstance(rate, float):
            raise TypeError(f"A tax rate must be a Decimal, not a float ({rate!r}).")
        if not ZERO <= rate <= ONE:
            raise ValueError(f"An effective tax rate is between 0 and 1 (got {rate}).")
    return checked


def _rate_in_year(rates: tuple[Decimal, ...], year: int) -> Decimal:
    return rates[min(year, len(rates)) - 1]


def _tax_on_leaving(
    terms: OfferTerms, months: int, received: Sequence[Decimal], rates: tuple[Decimal, ...]
) -> Decimal:
    """Tax on what was received by `months`, year by year, less the repaid sign-ons."""
    repaid_by_year: dict[int, Decimal] = {}
    for paid_month, field_name in SIGN_ON_PAYMENTS:
        if months >= paid_month:
            amount = round_cents(getattr(terms, field_name))
            owed = sign_on_owed(terms, amount, months - paid_month)
            year = employment_year(paid_month)
            repaid_by_year[year] = repaid_by_year.get(year, ZERO) + owed
    tax = ZERO
    for year in range(1, employment_year(months) + 1):
        year_start = (year - 1) * MONTHS_PER_YEAR
        before = received[year_start] if year > 1 else ZERO
        income = received[min(months, year * MONTHS_PER_YEAR)] - before
        taxable = max(ZERO, income - repaid_by_year.get(year, ZERO))
        with localcontext(WORKING_PRECISION):
            tax += round_cents(taxable * _rate_in_year(rates, year))
    return tax
