"""Offers side by side: which is stronger, component by component and year by year.

Pure Python like the engine (no Django, no I/O): the compare page, its CSV export and shared
links all read the same `Comparison`, so the three can never disagree.

How offers are made comparable:
- **One horizon.** Every offer is computed over the longest horizon among them
  (`align_horizons`), so cumulative totals line up year for year.
- **One currency.** Terms are converted *before* the engine runs (`convert_terms`), so every
  total is still the exact sum of its rounded components. Rates are "units per U.S. dollar" as
  stored; the rate from A to B is units_per_usd(B) / units_per_usd(A), reported with the date
  of the older of the two rates used and who published them.
- **Stronger** means more money; a row where the highest values tie has no stronger offer.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, localcontext
from itertools import accumulate, combinations

from benchmarks.money import format_money
from offers.compensation import (
    WORKING_PRECISION,
    ZERO,
    CompensationResult,
    EquityGrant,
    OfferTerms,
    Perk,
    round_cents,
)

MAX_OFFERS = 4
USD = "USD"
RATE_SHOWN = Decimal("0.0001")


# --- Currency conversion ---------------------------------------------------------------------


class MissingRate(ValueError):
    """No exchange rate is known for a currency the comparison needs."""

    def __init__(self, currency: str):
        super().__init__(f"No exchange rate for {currency} is on file, so it can't be converted.")
        self.currency = currency


@dataclass(frozen=True)
class RateQuote:
    """One stored rate: how many units of `currency` one U.S. dollar buys on `date`."""

    currency: str
    units_per_usd: Decimal
    date: date
    source: str = ""  # how pages name who published it, e.g. "ECB reference rate"


@dataclass(frozen=True)
class Conversion:
    source: str
    target: str
    rate: Decimal  # units of target per one unit of source
    as_of: date | None  # date of the older rate used; None when no rate was needed
    rate_source: str = ""  # who published the rates used, e.g. "ECB reference rate"

    @property
    def is_identity(self) -> bool:
        return self.source == self.target

    @property
    def rate_shown(self) -> Decimal:
        return self.rate.quantize(RATE_SHOWN)

    def describe(self) -> str:
        """'1 GBP = 1.2500 USD (ECB reference rate of 2025-10-31)'."""
        when = f" ({self.rate_source or 'rate'} of {self.as_of.isoformat()})" if self.as_of else ""
        return f"1 {self.source} = {self.rate_shown} {self.target}{when}"


def conversion(source: str, target: str, rates: Mapping[str, RateQuote]) -> Conversion:
    """The conversion from `source` to `target`; MissingRate when a needed rate is unknown.
    USD needs no rate (it is the unit the rates are quoted in)."""
    if source == target:
        return Conversion(source, target, Decimal(1), None)
    quotes = []
    for currency in (source, target):
        if currency == USD:
            quotes.append(None)
            continue
        if currency not in rates:
            raise MissingRate(currency)
        quotes.append(rates[currency])
    source_quote, target_quote = quotes
    per_usd_source = source_quote.units_per_usd if source_quote else Decimal(1)
    per_usd_target = target_quote.units_per_usd if target_quote else Decimal(1)
    with localcontext(WORKING_PRECISION):
        rate = per_usd_target / per_usd_source
    used = [q for q in quotes if q is not None]
    sources = " and ".join(dict.fromkeys(q.source for q in used if q.source))
    return Conversion(source, target, rate, min(q.date for q in used), sources)


def convert_amount(amount: Decimal, conv: Conversion) -> Decimal:
    if conv.is_identity:
        return amount
    with localcontext(WORKING_PRECISION):
        return round_cents(amount * conv.rate)


def _convert_optional(amount: Decimal | None, conv: Conversion) -> Decimal | None:
    return None if amount is None else convert_amount(amount, conv)


def _convert_price(price: Decimal | None, conv: Conversion) -> Decimal | None:
    # Share prices keep their precision: rounding a price to cents, then multiplying by many
    # shares, would move the grant's value by more than a cent.
    if price is None or conv.is_identity:
        return price
    with localcontext(WORKING_PRECISION):
        return price * conv.rate


def convert_terms(terms: OfferTerms, conv: Conversion) -> OfferTerms:
    """The same offer with every amount in the target currency (percentages unchanged)."""
    if conv.is_identity:
        return terms
    if terms.currency != conv.source:
        raise ValueError(f"These terms are in {terms.currency}, not {conv.source}.")
    equity = terms.equity
    if equity is not None:
        equity = replace(
            equity,
            total_value=_convert_optional(equity.total_value, conv),
            share_price=_convert_price(equity.share_price, conv),
            strike_price=_convert_price(equity.strike_price, conv) or ZERO,
            yearly_refresher_value=convert_amount(equity.yearly_refresher_value, conv),
        )
    return replace(
        terms,
        currency=conv.target,
        base_salary=convert_amount(terms.base_salary, conv),
        bonus_fixed=_convert_optional(terms.bonus_fixed, conv),
        sign_on_year1=convert_amount(terms.sign_on_year1, conv),
        sign_on_year2=convert_amount(terms.sign_on_year2, conv),
        relocation=convert_amount(terms.relocation, conv),
        equity=equity,
        retirement_match_cap=_convert_optional(terms.retirement_match_cap, conv),
        health_contribution=convert_amount(terms.health_contribution, conv),
        perks=tuple(Perk(p.name, convert_amount(p.yearly_amount, conv)) for p in terms.perks),
    )


def align_horizons(terms: Sequence[OfferTerms]) -> tuple[OfferTerms, ...]:
    """Every offer over the longest horizon among them, so years line up."""
    years = max((t.horizon_years for t in terms), default=1)
    return tuple(replace(t, years=years) for t in terms)


def grant_value(equity: EquityGrant | None) -> Decimal:
    """The initial grant as offer letters state it: RSUs at their value, options at their spread
    (shares x (price - strike), never below zero), at today's price."""
    if equity is None or not equity.has_equity:
        return ZERO
    with localcontext(WORKING_PRECISION):
        if equity.kind.is_option:
            assert equity.shares is not None and equity.share_price is not None
            return round_cents(equity.shares * max(ZERO, equity.share_price - equity.strike_price))
        if equity.total_value is not None:
            return round_cents(equity.total_value)
        assert equity.shares is not None and equity.share_price is not None
        return round_cents(equity.shares * equity.share_price)


# --- Side by side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparedOffer:
    name: str
    result: CompensationResult  # already in the comparison's currency and horizon
    conversion: Conversion | None = None  # how its amounts got there, when they were converted


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    values: tuple[Decimal, ...]  # one per offer, in the order given
    stronger: int | None  # index of the offer with the most; None when the top values tie
    lead: Decimal  # how far the stronger offer is ahead of the next one (0 on a tie)
    one_time: bool = False
    stronger_name: str = ""

    @property
    def cells(self) -> tuple[tuple[Decimal, bool], ...]:
        """(value, is it the stronger one) per offer, for a table row."""
        return tuple((value, index == self.stronger) for index, value in enumerate(self.values))

    @property
    def difference(self) -> Decimal:
        """First offer minus second offer (what a two-offer page shows)."""
        return self.values[0] - self.values[1]


@dataclass(frozen=True)
class Crossover:
    """In `year`, offer `overtaking`'s cumulative pay passes offer `overtaken`'s."""

    year: int
    overtaking: int
    overtaken: int
    overtaking_name: str = ""
    overtaken_name: str = ""


@dataclass(frozen=True)
class TableCell:
    """One offer's figure in a row of a side-by-side table, named for the phone's cards, and
    written out as the page shows it."""

    name: str
    value: Decimal
    stronger: bool
    shown: str = ""


@dataclass(frozen=True)
class TableRow:
    """A row of a side-by-side table with its figures written out (`format_money`) once here,
    rather than by a template filter for each of the hundred-odd figures a comparison shows."""

    row: ComparisonRow
    cells: tuple[TableCell, ...]
    difference: str  # the first offer's figure less the second's; "" beyond two offers
    lead: str  # how far the stronger offer is ahead; "" when none is
    bold: bool
    unranked: bool  # more is not better here (tax): no stronger offer is named


class SideBySide:
    """What a side-by-side table of offers reads, for the comparison before and after tax: its
    `names`, `sections` of rows and `totals` (first-year, average yearly, over the horizon)."""

    names: tuple[str, ...]
    currency: str
    totals: tuple[ComparisonRow, ...]
    bold_keys: tuple[str, ...] = ()  # the rows a table sets in bold
    unranked_keys: tuple[str, ...] = ()  # rows where more is not better (tax): no stronger offer

    @property
    def sections(self) -> tuple[tuple[str, tuple[ComparisonRow, ...]], ...]:
        raise NotImplementedError

    @property
    def first_year(self) -> ComparisonRow:
        return self.totals[0]

    @property
    def average_yearly(self) -> ComparisonRow:
        return self.totals[1]

    @property
    def over_horizon(self) -> ComparisonRow:
        return self.totals[2]

    @property
    def has_difference_column(self) -> bool:
        """A difference reads clearly only between two offers."""
        return len(self.names) == 2

    @property
    def table_columns(self) -> int:
        """Row label, one column per offer, the difference (two offers only), the stronger."""
        return 1 + len(self.names) + self.has_difference_column + 1

    @property
    def named_sections(self) -> list[tuple[str, list[TableRow]]]:
        """Each section's rows with their cells named by offer (on a phone a row is a card, and
        each line of it says whose figure it is) and every figure written out."""
        currency, two = self.currency, self.has_difference_column
        return [
            (
                section,
                [
                    TableRow(
                        row=row,
                        cells=tuple(
                            TableCell(n, v, s, format_money(v, currency))
                            for n, (v, s) in zip(self.names, row.cells, strict=True)
                        ),
                        difference=format_money(row.difference, currency) if two else "",
                        lead=format_money(row.lead, currency) if row.stronger_name else "",
                        bold=row.key in self.bold_keys,
                        unranked=row.key in self.unranked_keys,
                    )
                    for row in rows
                ],
            )
            for section, rows in self.sections
        ]


@dataclass(frozen=True)
class Comparison(SideBySide):
    bold_keys = ("first_year_total", "total")

    names: tuple[str, ...]
    currency: str
    years: int
    components: tuple[ComparisonRow, ...]  # year one by component; they add up to its total
    totals: tuple[ComparisonRow, ...]  # first-year, average yearly, total over the horizon
    cumulative: tuple[ComparisonRow, ...]  # cumulative pay at the end of each year
    split: tuple[ComparisonRow, ...]  # guaranteed cash / variable / equity / benefits
    crossovers: tuple[Crossover, ...]
    illiquid: tuple[bool, ...]
    conversions: tuple[Conversion | None, ...]

    @property
    def sections(self) -> tuple[tuple[str, tuple[ComparisonRow, ...]], ...]:
        """Every row, grouped as the page and the CSV show them."""
        return (
            ("Year one, by component", self.components),
            ("Totals", self.totals),
            ("Cumulative pay", self.cumulative),
            (f"Split over {self.years} years", self.split),
        )

    @property
    def named_illiquid(self) -> tuple[tuple[str, bool], ...]:
        """(name, is its equity illiquid) per offer, for column headings."""
        return tuple(zip(self.names, self.illiquid, strict=True))

    @property
    def rates_used(self) -> tuple[Conversion, ...]:
        seen: dict[str, Conversion] = {}
        for conv in self.conversions:
            if conv is not None and not conv.is_identity:
                seen.setdefault(conv.source, conv)
        return tuple(seen.values())


def stronger_of(values: Sequence[Decimal]) -> tuple[int | None, Decimal]:
    """(index of the highest value, its lead over the next); (None, 0) when the top ties."""
    if len(values) < 2:
        return None, ZERO
    ranked = sorted(range(len(values)), key=lambda i: values[i], reverse=True)
    top, runner_up = values[ranked[0]], values[ranked[1]]
    if top == runner_up:
        return None, ZERO
    return ranked[0], top - runner_up


def _row(key: str, label: str, values: Sequence[Decimal], one_time: bool = False) -> ComparisonRow:
    stronger, lead = stronger_of(values)
    return ComparisonRow(key, label, tuple(values), stronger, lead, one_time)


def crossover_year(first: Sequence[Decimal], second: Sequence[Decimal]) -> int | None:
    """The first year in which the cumulative order of two offers flips, if any.

    Years where the two are equal change nothing: the order flips only when the other offer is
    strictly ahead after one of them was strictly ahead before.
    """
    leader = 0  # +1 first ahead, -1 second ahead, 0 not yet decided
    for year, (a, b) in enumerate(zip(first, second, strict=True), start=1):
        now = (a > b) - (a < b)
        if now == 0:
            continue
        if leader and now != leader:
            return year
        leader = now
    return None


def crossovers(cumulative: Sequence[Sequence[Decimal]]) -> tuple[Crossover, ...]:
    """Every pair's first crossover, earliest first."""
    found = []
    for i, j in combinations(range(len(cumulative)), 2):
        year = crossover_year(cumulative[i], cumulative[j])
        if year is not None:
            i_ahead = cumulative[i][year - 1] > cumulative[j][year - 1]
            found.append(Crossover(year, i if i_ahead else j, j if i_ahead else i))
    return tuple(sorted(found, key=lambda c: (c.year, c.overtaking, c.overtaken)))


def _named_rows(rows: Sequence[ComparisonRow], names: Sequence[str]) -> tuple[ComparisonRow, ...]:
    """The rows with their stronger offer's name."""
    return tuple(
        replace(row, stronger_name=names[row.stronger]) if row.stronger is not None else row
        for row in rows
    )


def _named_crossovers(
    cumulative: Sequence[Sequence[Decimal]], names: Sequence[str]
) -> tuple[Crossover, ...]:
    """Every pair's first crossover (see `crossovers`), with the offers' names."""
    return tuple(
        replace(c, overtaking_name=names[c.overtaking], overtaken_name=names[c.overtaken])
        for c in crossovers(cumulative)
    )


def compare(offers: Sequence[ComparedOffer]) -> Comparison:
    """Rows for two to four offers that share a currency and a horizon."""
    if not 2 <= len(offers) <= MAX_OFFERS:
        raise ValueError(f"Compare between 2 and {MAX_OFFERS} offers (got {len(offers)}).")
    results = [o.result for o in offers]
    currencies = {r.currency for r in results}
    if len(currencies) != 1:
        raise ValueError("Convert every offer to one currency before comparing.")
    horizons = {len(r.years) for r in results}
    if len(horizons) != 1:
        raise ValueError("Compute every offer over the same number of years before comparing.")
    years = horizons.pop()

    def per_offer(read) -> list[Decimal]:
        return [read(r) for r in results]

    components = (
        _row("base", "Base salary, year 1", per_offer(lambda r: r.years[0].base)),
        _row("bonus", "Target bonus, year 1", per_offer(lambda r: r.years[0].bonus)),
        _row("sign_on", "Sign-on bonus, year 1", per_offer(lambda r: r.years[0].sign_on), True),
        _row("relocation", "Relocation", per_offer(lambda r: r.years[0].relocation), True),
        _row("equity_year1", "Equity vested, year 1", per_offer(lambda r: r.years[0].equity)),
        _row("benefits", "Benefits, year 1", per_offer(lambda r: r.years[0].benefits)),
    )
    totals = (
        _row("first_year_total", "First-year total", per_offer(lambda r: r.first_year_total)),
        _row(
            "average_yearly_total",
            "Average yearly total (recurring pay)",
            per_offer(lambda r: r.average_yearly_total),
        ),
        _row("total", f"Total over {years} years", per_offer(lambda r: r.total)),
    )
    cumulative = tuple(
        _row(
            f"cumulative_{n}",
            f"After year {n}",
            per_offer(lambda r, n=n: r.cumulative_totals[n - 1]),
        )
        for n in range(1, years + 1)
    )
    split = (
        _row("guaranteed_cash", "Guaranteed cash", per_offer(lambda r: r.split.guaranteed_cash)),
        _row("variable_pay", "Variable pay (bonus)", per_offer(lambda r: r.split.variable_pay)),
        _row("equity", "Equity", per_offer(lambda r: r.split.equity)),
        _row("benefits_total", "Benefits", per_offer(lambda r: r.split.benefits)),
    )
    names = tuple(o.name for o in offers)

    return Comparison(
        names=names,
        currency=currencies.pop(),
        years=years,
        components=_named_rows(components, names),
        totals=_named_rows(totals, names),
        cumulative=_named_rows(cumulative, names),
        split=_named_rows(split, names),
        crossovers=_named_crossovers([r.cumulative_totals for r in results], names),
        illiquid=tuple(r.equity_is_illiquid for r in results),
        conversions=tuple(o.conversion for o in offers),
    )


# --- After tax -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AfterTaxComparison(SideBySide):
    """The offers' estimated take-home pay side by side, year by year: the same totals,
    cumulative rows and crossovers as the comparison before tax, from each offer's own estimate
    (made in its own currency and place, then converted)."""

    bold_keys = ("first_year_take_home", "take_home_total")
    unranked_keys = ("tax_year1", "discount_year1")

    names: tuple[str, ...]
    currency: str
    years: int
    year_one: tuple[ComparisonRow, ...]  # gross taxable pay, estimated tax, take-home
    totals: tuple[ComparisonRow, ...]  # first-year, average yearly, over the horizon
    cumulative: tuple[ComparisonRow, ...]
    crossovers: tuple[Crossover, ...]

    @property
    def sections(self) -> tuple[tuple[str, tuple[ComparisonRow, ...]], ...]:
        return (
            ("Year one, after tax", self.year_one),
            ("Take-home totals", self.totals),
            ("Cumulative take-home pay", self.cumulative),
        )


def compare_after_tax(
    names: Sequence[str],
    currency: str,
    gross_by_year: Sequence[Sequence[Decimal]],
    tax_by_year: Sequence[Sequence[Decimal]],
    discount_by_year: Sequence[Sequence[Decimal]] | None = None,
) -> AfterTaxComparison:
    """Take-home (gross taxable pay less estimated tax, and less `discount_by_year` when private
    equity is risk-adjusted: tax is due on what vests, the discount is what it may not be worth)
    of each offer, one sequence per offer, already in `currency` and over one horizon. Stronger
    still means more money: a tax row's stronger offer is the one that pays more tax, so that row
    names no stronger offer."""
    if not 2 <= len(names) <= MAX_OFFERS:
        raise ValueError(f"Compare between 2 and {MAX_OFFERS} offers (got {len(names)}).")
    horizons = {len(g) for g in gross_by_year} | {len(t) for t in tax_by_year}
    if len(horizons) != 1:
        raise ValueError("Estimate every offer over the same number of years before comparing.")
    years = horizons.pop()
    discounts = discount_by_year or [[ZERO] * years for _ in names]
    take_home = [
        [gross - tax - cut for gross, tax, cut in zip(g, t, d, strict=True)]
        for g, t, d in zip(gross_by_year, tax_by_year, discounts, strict=True)
    ]
    cumulative_by_offer = [list(accumulate(amounts)) for amounts in take_home]
    names = tuple(names)

    tax_row = ComparisonRow(
        "tax_year1", "Estimated tax, year 1", tuple(t[0] for t in tax_by_year), None, ZERO
    )
    with localcontext(WORKING_PRECISION):
        averages = [round_cents(c[-1] / years) for c in cumulative_by_offer]
    year_one = [
        _row("gross_year1", "Taxable pay, year 1", [g[0] for g in gross_by_year]),
        tax_row,
    ]
    if discount_by_year is not None:
        cuts = tuple(d[0] for d in discounts)
        year_one.append(
            ComparisonRow(
                "discount_year1", "Less the illiquidity discount, year 1", cuts, None, ZERO
            )
        )
    year_one.append(_row("take_home_year1", "Take-home, year 1", [t[0] for t in take_home]))
    totals = (
        _row("first_year_take_home", "First-year take-home", [t[0] for t in take_home]),
        _row("average_yearly_take_home", "Average yearly take-home", averages),
        _row(
            "take_home_total", f"Take-home over {years} years", [c[-1] for c in cumulative_by_offer]
        ),
    )
    cumulative = tuple(
        _row(
            f"take_home_cumulative_{n}", f"After year {n}", [c[n - 1] for c in cumulative_by_offer]
        )
        for n in range(1, years + 1)
    )
    return AfterTaxComparison(
        names=names,
        currency=currency,
        years=years,
        year_one=_named_rows(year_one, names),
        totals=_named_rows(totals, names),
        cumulative=_named_rows(cumulative, names),
        crossovers=_named_crossovers(cumulative_by_offer, names),
    )
