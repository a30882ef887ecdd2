"""What an offer's equity could be worth, and how fast a trailer's shares must grow to catch up.

Pure Python like the engine (no Django, no I/O). Every figure comes from `compute_compensation`
on the offer's terms with only the equity assumptions replaced (`dataclasses.replace`), so every
total obeys the engine's rounding rules and any term the engine learns later passes through.
Only the grant (and its refreshers) is varied: a value discount on the terms (the risk-adjusted
view) applies in every scenario as it does to the offer's own totals, and an ESPP keeps its own
price assumption (it is counted with benefits).

Scenarios for an offer with equity:
- **Worth nothing**: the grant and its refreshers count for nothing; cash and benefits remain.
- **Today's price**: the share price never changes.
- **Your assumption**: the yearly share-price change entered with the offer.
- **Exit at N×**: every share vested inside the horizon is worth N × today's price, as if held
  to an exit (see `exit_terms`).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation, localcontext

from offers.compensation import WORKING_PRECISION, ZERO, OfferTerms, compute_compensation

DEFAULT_EXIT_MULTIPLE = Decimal("3")
MIN_EXIT_MULTIPLE = Decimal("1")
MAX_EXIT_MULTIPLE = Decimal("1000")
EXIT_MULTIPLE_PLACES = 2  # "2.5×" reads as a multiple; "2.4999×" reads as a typo

LOWEST_GROWTH = Decimal("-100")  # a share price cannot fall by more than everything
HIGHEST_GROWTH = Decimal("1000")
GROWTH_STEP = Decimal("0.1")  # break-even rates are shown to one decimal

_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


# --- The exit multiple a person types --------------------------------------------------------


def _plain(number: Decimal) -> str:
    """3 → "3", 2.50 → "2.5", 1E+3 → "1000": how a multiple or a rate is written in a sentence."""
    return f"{number.normalize():f}"


def parse_exit_multiple(raw: str | None) -> tuple[Decimal, str | None]:
    """The exit multiple typed in a form: (value, None), or (the default 3, a plain message).

    Empty input is the default without a message; "3", "2.5", "3x" and "3×" are read as
    multiples; anything that is not a number from 1 to 1,000 with at most two decimals is
    refused ("abc", "0", "-2", "1e9", "NaN").
    """
    text = (raw or "").strip().rstrip("x×X").strip()
    if not text:
        return DEFAULT_EXIT_MULTIPLE, None
    if len(text) > 12:  # a multiple is a short number; don't parse a pasted essay
        return DEFAULT_EXIT_MULTIPLE, "Enter the exit multiple as a number, e.g. 3 or 2.5."
    if "," in text:
        # "1,000" is a thousand; "2,5" may mean 2.5 or 25, so it is refused rather than guessed.
        if not _THOUSANDS.fullmatch(text):
            return DEFAULT_EXIT_MULTIPLE, "Enter the exit multiple as a number, e.g. 3 or 2.5."
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return DEFAULT_EXIT_MULTIPLE, "Enter the exit multiple as a number, e.g. 3 or 2.5."
    if not value.is_finite():
        return DEFAULT_EXIT_MULTIPLE, "Enter the exit multiple as a number, e.g. 3 or 2.5."
    if not MIN_EXIT_MULTIPLE <= value <= MAX_EXIT_MULTIPLE:
        return DEFAULT_EXIT_MULTIPLE, "An exit multiple is between 1 and 1,000 times today's price."
    if value != round(value, EXIT_MULTIPLE_PLACES):
        return DEFAULT_EXIT_MULTIPLE, "Give the exit multiple with at most two decimals, e.g. 2.5."
    return Decimal(_plain(value)), None


# --- Scenarios -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioOutcome:
    key: str  # "worthless", "today", "assumption" or "exit"
    label: str
    explanation: str  # one sentence, the same for every offer with equity
    currency: str
    years: int
    equity: Decimal  # equity vested over the horizon, in this scenario
    total: Decimal  # everything over the horizon, in this scenario
    cumulative_totals: tuple[Decimal, ...]  # total at the end of each year, for a chart
    yearly_change_percent: Decimal | None  # the share-price change used; None when not a rate


def worthless_terms(terms: OfferTerms) -> OfferTerms:
    """The offer with no equity at all (refreshers included), over the same horizon."""
    return replace(terms, years=terms.horizon_years, equity=None)


def growth_terms(terms: OfferTerms, yearly_change_percent: Decimal) -> OfferTerms:
    """The offer with its shares changing by `yearly_change_percent` a year."""
    assert terms.equity is not None
    equity = replace(terms.equity, yearly_price_change_percent=yearly_change_percent)
    return replace(terms, years=terms.horizon_years, equity=equity)


def exit_terms(terms: OfferTerms, exit_multiple: Decimal) -> OfferTerms:
    """The offer with every vested share worth `exit_multiple` × today's price.

    Vesting inside the horizon is what counts: shares that vest in the horizon's years are
    valued at the exit price, those that would vest after it are not (they would be forfeited on
    leaving at its end). The price stays at the exit price throughout, so an instalment is worth
    the same whichever year it vests. RSUs are worth N × their value today (a grant stated as a
    value with no price: N × that value); options max(0, N × price - strike) per share, since the
    strike does not move; refreshers, granted at today's price, N × their stated value.
    """
    assert terms.equity is not None
    equity = terms.equity
    with localcontext(WORKING_PRECISION):
        scaled = replace(
            equity,
            total_value=None if equity.total_value is None else equity.total_value * exit_multiple,
            share_price=None if equity.share_price is None else equity.share_price * exit_multiple,
            yearly_refresher_value=equity.yearly_refresher_value * exit_multiple,
            yearly_price_change_percent=ZERO,
        )
    return replace(terms, years=terms.horizon_years, equity=scaled)


def _growth_words(yearly_change_percent: Decimal) -> str:
    if yearly_change_percent > 0:
        return f"grows {_plain(yearly_change_percent)}% a year"
    if yearly_change_percent < 0:
        return f"falls {_plain(-yearly_change_percent)}% a year"
    return "stays at today's price"


def _outcome(
    key: str,
    label: str,
    explanation: str,
    terms: OfferTerms,
    yearly_change_percent: Decimal | None,
) -> ScenarioOutcome:
    result = compute_compensation(terms)
    return ScenarioOutcome(
        key=key,
        label=label,
        explanation=explanation,
        currency=result.currency,
        years=len(result.years),
        equity=result.split.equity,
        total=result.total,
        cumulative_totals=result.cumulative_totals,
        yearly_change_percent=yearly_change_percent,
    )


def equity_scenarios(
    terms: OfferTerms, *, exit_multiple: Decimal = DEFAULT_EXIT_MULTIPLE
) -> tuple[ScenarioOutcome, ...]:
    """Worth nothing, today's price, the offer's own assumption, and an exit at N× today's
    price, each over the offer's horizon; () for an offer without equity."""
    if not terms.has_equity:
        return ()
    assert terms.equity is not None
    assumed = terms.equity.yearly_price_change_percent
    years = terms.horizon_years
    multiple = _plain(exit_multiple)
    return (
        _outcome(
            "worthless",
            "Worth nothing",
            "The shares end up worth nothing, so only cash and benefits count.",
            worthless_terms(terms),
            None,
        ),
        _outcome(
            "today",
            "Today's price",
            "The share price never moves from today's.",
            growth_terms(terms, ZERO),
            ZERO,
        ),
        _outcome(
            "assumption",
            "Your assumption",
            "The share price changes each year as entered with the offer.",
            growth_terms(terms, assumed),
            assumed,
        ),
        _outcome(
            "exit",
            f"Exit at {multiple}×",
            f"Every share vested within {years} years is valued at {multiple}× today's price, "
            "as if held to an exit (an option at that price less its strike).",
            exit_terms(terms, exit_multiple),
            None,
        ),
    )


# --- The scenarios of several offers, as a table ---------------------------------------------


@dataclass(frozen=True)
class ScenarioCell:
    """One offer in one scenario. An offer without equity is the same in every scenario."""

    currency: str
    years: int
    total: Decimal
    equity: Decimal
    has_equity: bool
    yearly_change_percent: Decimal | None = None

    @property
    def growth_words(self) -> str:
        """ "grows 10% a year", for the assumption row; "" where no rate applies."""
        if not self.has_equity or self.yearly_change_percent is None:
            return ""
        return _growth_words(self.yearly_change_percent)


@dataclass(frozen=True)
class ScenarioRow:
    key: str
    label: str
    explanation: str
    cells: tuple[ScenarioCell, ...]  # one per offer, in the order given


@dataclass(frozen=True)
class ScenarioTable:
    offer_labels: tuple[str, ...]
    rows: tuple[ScenarioRow, ...]  # empty when no offer has equity

    @property
    def years(self) -> int | None:
        """The horizon every offer is shown over; None when they differ or there are no rows."""
        horizons = {cell.years for row in self.rows for cell in row.cells}
        return horizons.pop() if len(horizons) == 1 else None


def _cell(terms: OfferTerms, outcome: ScenarioOutcome | None) -> ScenarioCell:
    if outcome is not None:
        return ScenarioCell(
            currency=outcome.currency,
            years=outcome.years,
            total=outcome.total,
            equity=outcome.equity,
            has_equity=True,
            yearly_change_percent=outcome.yearly_change_percent,
        )
    result = compute_compensation(terms)
    return ScenarioCell(
        currency=result.currency,
        years=len(result.years),
        total=result.total,
        equity=result.split.equity,
        has_equity=False,
    )


def scenario_table(
    offers: Sequence[tuple[str, OfferTerms]], *, exit_multiple: Decimal = DEFAULT_EXIT_MULTIPLE
) -> ScenarioTable:
    """Rows are scenarios, one cell per offer (label, terms), in the order given; an offer
    without equity has the same cell in every row. Give the offers already in one currency and
    one horizon when they are to be read against each other (as Compare's terms are)."""
    per_offer = [equity_scenarios(terms, exit_multiple=exit_multiple) for _, terms in offers]
    headings = next((scenarios for scenarios in per_offer if scenarios), ())
    rows = tuple(
        ScenarioRow(
            key=heading.key,
            label=heading.label,
            explanation=heading.explanation,
            cells=tuple(
                _cell(terms, scenarios[index] if scenarios else None)
                for (_, terms), scenarios in zip(offers, per_offer, strict=True)
            ),
        )
        for index, heading in enumerate(headings)
    )
    return ScenarioTable(tuple(label for label, _ in offers), rows)


# --- Break-even growth -----------------------------------------------------------------------


@dataclass(frozen=True)
class BreakEven:
    """The yearly share-price change the trailer's equity needs to match the leader over
    `years`, or why there is none to give.

    status: "found" (`rate` is set), "already_ahead" (the trailer matches the leader even with its
    share price falling 100% a year, i.e. worth nothing after year one), "no_equity" (the trailer
    has none to grow) or "out_of_reach" (it would need more than 1,000% a year).
    """

    status: str
    years: int
    currency: str
    leader_total: Decimal
    trailer_total: Decimal  # at the trailer's own assumption
    assumed_rate: Decimal | None  # the trailer's assumed yearly change; None without equity
    rate: Decimal | None = None  # percent a year, one decimal; only when found
    ahead_without_equity: bool = False  # the trailer matches even with its shares worth nothing

    @property
    def is_fall(self) -> bool:
        """The trailer matches even when its price falls by `fall_percent` a year."""
        return self.rate is not None and self.rate < 0

    @property
    def fall_percent(self) -> Decimal | None:
        return None if self.rate is None else -self.rate


def _total_at(trailer: OfferTerms, tenths: int) -> Decimal:
    rate = Decimal(tenths) * GROWTH_STEP
    return compute_compensation(growth_terms(trailer, rate)).total


def break_even_growth(
    leader: OfferTerms, trailer: OfferTerms, *, years: int | None = None
) -> BreakEven:
    """The smallest yearly share-price change, to 0.1 point, at which the trailer's total over
    the horizon (the leader's, unless `years` is given) is at least the leader's.

    Both offers must be in one currency (convert first: ValueError otherwise). The trailer's total
    never falls as its growth rises, so bisection on whole tenths of a percent between -100% and
    1,000% finds the rate exactly: at the rate the trailer matches, 0.1 point less it does not.
    """
    if leader.currency != trailer.currency:
        raise ValueError(
            f"Convert both offers to one currency first ({leader.currency}, {trailer.currency})."
        )
    horizon = years if years is not None else leader.horizon_years
    leader = replace(leader, years=horizon)
    trailer = replace(trailer, years=horizon)
    leader_total = compute_compensation(leader).total
    trailer_total = compute_compensation(trailer).total
    found = BreakEven(
        status="found",
        years=horizon,
        currency=leader.currency,
        leader_total=leader_total,
        trailer_total=trailer_total,
        assumed_rate=trailer.equity.yearly_price_change_percent if trailer.has_equity else None,
    )
    if not trailer.has_equity:
        return replace(
            found,
            status="no_equity",
            ahead_without_equity=trailer_total >= leader_total,
        )
    low = int(LOWEST_GROWTH / GROWTH_STEP)
    high = int(HIGHEST_GROWTH / GROWTH_STEP)
    if _total_at(trailer, low) >= leader_total:
        cash_only = compute_compensation(worthless_terms(trailer)).total
        return replace(
            found, status="already_ahead", ahead_without_equity=cash_only >= leader_total
        )
    if _total_at(trailer, high) < leader_total:
        return replace(found, status="out_of_reach")
    # Invariant: the trailer falls short at `low` and matches at `high`.
    while high - low > 1:
        middle = (low + high) // 2
        if _total_at(trailer, middle) >= leader_total:
            high = middle
        else:
            low = middle
    return replace(found, rate=(Decimal(high) * GROWTH_STEP).quantize(GROWTH_STEP))
