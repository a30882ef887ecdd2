"""The rebuild: community bands computed from this site's contributions (rules in
``benchmarks/community.py``).

For each cell (role × level × place, a place being a contribution's own place, its state or its
country) and each component of pay (base; total cash = base + target bonus; total
compensation = the average yearly total):

1. **Eligible**: not excluded by an admin, made in the last ``WINDOW_MONTHS`` calendar months
   (this month and the 23 before it), demo data only where ``COMMUNITY_DEMO_DATA`` is on.
   **One person counts once in a cell**: of one person's (``contributor_key``) eligible
   contributions in a cell, only the newest (by ``offered_in``, then by id) enters it, for its
   figures, counts, members and publication alike; the others still count in their own cells.
2. **Aged** from the month of the offer to the build date by whole months at the wage-growth
   rate the official bands use, ``(1 + rate) ** (months / 12)``; the factors are computed here
   in ``Decimal`` and handed to SQL as a table, so SQL needs no ``pow()``.
3. **Converted** to the cell's currency with the newest exchange rates where a contribution's
   currency differs; one whose currency has no rate is left out (and counted in the report),
   and so is not a person's newest in a cell either.
4. **Outliers**: below Q1 − 3 × IQR or above Q3 + 3 × IQR (quartiles by the method below with
   equal weights) are left out and counted.
5. **Company cap**: each company weighs at most ``COMPANY_CAP`` of the cell, 1/k with only
   k < 4 companies. Iterative capping (capped companies get exactly the cap, the others share
   what is left in proportion to their counts, until none exceeds it) caps the companies with
   the most contributions first, so it has a closed form: sort companies by count, descending;
   company j (1-based) is capped while ``n_j × (1 − (j − 1) × cap) > cap × (n_j + n_j+1 + …)``.
   A contribution weighs its company's weight over the company's count.
6. **Percentiles** 10/25/50/75/90, weighted: sort by value; each value sits at the centre of its
   weight interval, ``c_i = (S_i−1 + w_i / 2) / W``; percentile p is the linear interpolation
   between the neighbouring centres, and the smallest (largest) value outside [c_1, c_n]. With
   equal weights this is Hazen's definition (type 5 of Hyndman and Fan). The 10th and 90th only
   from ``TAILS_FROM`` contributions.

Steps 4–6 run in the database, one statement of CTEs and window functions that PostgreSQL and
SQLite both run; ``reference_figures`` is the same arithmetic in plain Python, which the tests
hold the SQL to.

Publication (a single contribution must not be readable from a band's change): a shown cell
keeps its figures until the contributions new or changed since it was published number at least
``MIN_CONTRIBUTIONS`` from ``MIN_COMPANIES`` companies; a published contribution gone or no
longer eligible, without that many changes, hides the cell (REFRESHING, or TOO_FEW when what is
left is below the thresholds). A hidden cell keeps the published members still counted, and is
published again only on that same rule: were it published from what is left as soon as that is
enough, the figures before and after would differ by the one withdrawn offer, and could be
solved for it. A cell's members are every contribution its figures were computed from, outliers
included (so an outlier is not counted as new at every rebuild).

Ladder: for each role × place × component the shown medians rise with the level; where thin data
breaks that, pool-adjacent-violators weighted by contributions, then each level at least
``MIN_LEVEL_STEP`` above the one below, each moved cell's percentiles scaled with its median.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from benchmarks.community import (
    COMPANY_CAP,
    COMPONENTS,
    MIN_COMPANIES,
    MIN_CONTRIBUTIONS,
    OUTLIER_IQRS,
    TAILS_FROM,
    WINDOW_MONTHS,
    rounded_for_display,
)
from benchmarks.lookup import MIN_LEVEL_STEP
from benchmarks.models import (
    CommunityBand,
    CommunityBandMember,
    Contribution,
    ExchangeRate,
    Level,
    WageGrowth,
)
from benchmarks.money import format_money

__all__ = [
    "CellFigures",
    "RebuildReport",
    "cell_figures",
    "cells_of",
    "rebuild_community_bands",
    "reference_figures",
]

POINTS = (10, 25, 50, 75, 90)
_ONE = Decimal(1)
_WHOLE = Decimal(1)
_SHOWN = CommunityBand.Status.SHOWN
_TOO_FEW = CommunityBand.Status.TOO_FEW
_REFRESHING = CommunityBand.Status.REFRESHING
# The newest month's row also takes offers dated later in the month or just after (a clock
# or time zone ahead of the server's), at no ageing.
_FAR_FUTURE = date(9999, 12, 31)
_CHUNK = 500
# A value exactly on an outlier fence is kept; within this much of it counts as on it, so
# SQLite's binary floating point does not leave it out (a hundredth of a cent).
_FENCE_TOLERANCE = Decimal("0.0001")

Cell = tuple[int, int | None, int]  # (role_id, level_id, location_id)
BandKey = tuple[int, int | None, int, str]  # a cell and a component


@dataclass(frozen=True)
class CellFigures:
    """What one cell's contributions say about one component, before publication rules."""

    contributions: int  # after outliers
    companies: int
    outliers_left_out: int
    percentiles: dict[int, Decimal]  # all five points, unrounded
    currency: str = ""
    earliest: date | None = None
    latest: date | None = None
    is_demo: bool = False

    @property
    def meets_thresholds(self) -> bool:
        return self.contributions >= MIN_CONTRIBUTIONS and self.companies >= MIN_COMPANIES


@dataclass
class RebuildReport:
    shown: int = 0
    too_few: int = 0
    refreshing: int = 0
    published: int = 0  # shown cells whose figures were computed afresh
    kept: int = 0  # shown cells left as published: too few changes to move them
    removed: int = 0  # cells with no eligible contribution left
    smoothed: int = 0  # shown cells moved to keep the ladder rising
    contributions: int = 0  # distinct eligible contributions considered
    left_out_no_rate: int = 0  # eligible but in a currency with no exchange rate
    seconds: float = 0.0


def cells_of(contribution: Contribution) -> list[Cell]:
    """The cells a contribution counts in: its role and level in its place, state and country."""
    places = dict.fromkeys(
        p
        for p in (contribution.location_id, contribution.state_id, contribution.nation_id)
        if p is not None
    )
    return [(contribution.role_id, contribution.level_id, place) for place in places]


# The pure-Python reference ---------------------------------------------------------------------


def reference_figures(values: Sequence[tuple]) -> CellFigures | None:
    """One person's newest (step 1) and steps 4–6 of the module docstring for one cell and
    component, in plain Python: ``values`` are (contribution id, company key, aged amount), each
    its own person, or (contribution id, company key, aged amount, contributor key, offered in).
    None for no values."""
    values = one_per_person(values)
    if not values:
        return None
    ordered = sorted(values, key=lambda v: (v[2], v[0]))
    amounts = [v[2] for v in ordered]
    q1, q3 = (_weighted_percentile(amounts, [_ONE] * len(amounts), p) for p in (25, 75))
    fence = OUTLIER_IQRS * (q3 - q1) + _FENCE_TOLERANCE
    kept = [v for v in ordered if q1 - fence <= v[2] <= q3 + fence]
    weights = _capped_weights([v[1] for v in kept])
    kept_amounts = [v[2] for v in kept]
    return CellFigures(
        contributions=len(kept),
        companies=len({v[1] for v in kept}),
        outliers_left_out=len(values) - len(kept),
        percentiles={p: _weighted_percentile(kept_amounts, weights, p) for p in POINTS},
    )


def one_per_person(values: Sequence[tuple]) -> list[tuple]:
    """Of each person's values (the fourth item; none: each value its own person), only the
    newest: the latest month (the fifth item), then the highest id (the first)."""
    newest: dict = {}
    for value in values:
        person = value[3] if len(value) > 3 else ("alone", value[0])
        if person not in newest or (value[4], value[0]) > (newest[person][4], newest[person][0]):
            newest[person] = value
    return list(newest.values())


def _weighted_percentile(amounts: Sequence[Decimal], weights: Sequence[Decimal], point: int):
    """``amounts`` sorted; see step 6 of the module docstring."""
    total = sum(weights)
    centres, running = [], Decimal(0)
    for weight in weights:
        centres.append((running + weight / 2) / total)
        running += weight
    p = Decimal(point) / 100
    if p <= centres[0]:
        return amounts[0]
    for i in range(len(amounts) - 1):
        if centres[i] <= p < centres[i + 1]:
            share = (p - centres[i]) / (centres[i + 1] - centres[i])
            return amounts[i] + (amounts[i + 1] - amounts[i]) * share
    return amounts[-1]


def _capped_weights(companies: Sequence[str]) -> list[Decimal]:
    """Each contribution's weight (summing to 1) for the company of each, in order."""
    counts: dict[str, int] = defaultdict(int)
    for company in companies:
        counts[company] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    k = len(ranked)
    cap = COMPANY_CAP if COMPANY_CAP * k >= 1 else _ONE / k
    tails = [sum(n for _, n in ranked[j:]) for j in range(k)]
    first_uncapped = next(
        j for j, (_, n) in enumerate(ranked) if j == k - 1 or n * (1 - j * cap) <= cap * tails[j]
    )
    share_left = (1 - first_uncapped * cap) / tails[first_uncapped]
    per_offer = {
        company: (cap / n if j < first_uncapped else share_left)
        for j, (company, n) in enumerate(ranked)
    }
    return [per_offer[c] for c in companies]


# The SQL ---------------------------------------------------------------------------------------

# Inside the figures statement a cell and component is one integer, so each sort compares one
# column: ((role × 2**21 + level) × 2**21 + place) × 4 + component.
_ID_BITS = 21
_CELL = "band"


def _same_cell(a: str, b: str) -> str:
    return f"{a}.band = {b}.band"


def _band_key(band: int) -> BandKey:
    cell, component = divmod(band, 4)
    cell, place = divmod(cell, 1 << _ID_BITS)
    role, level = divmod(cell, 1 << _ID_BITS)
    return (role, _level(level), place, COMPONENTS[component])


def _check_id_bounds() -> None:
    from django.db.models import Max

    from benchmarks.models import Location, Role

    for model in (Role, Level, Location):
        if (model.objects.aggregate(top=Max("pk"))["top"] or 0) >= 1 << _ID_BITS:
            raise OverflowError(f"{model.__name__} ids beyond 2**{_ID_BITS}: widen _ID_BITS")


def _percentile_ctes(name: str, source: str, weight: str, points: str, carried: str) -> str:
    """CTEs ending in ``name``: (cell, ``carried`` columns, point, amount), step 6 of the module
    docstring. One sort per cell: a row's centre and its next neighbour's come from sums of
    weights up to the row before, the row, and the row after, so the next row computes its own
    centre from the very same sums (in floating point too: no gap between neighbours)."""
    ordered = f"PARTITION BY {_CELL} ORDER BY amount, id"

    def upto(end: str) -> str:
        return f"SUM({weight}) OVER ({ordered} ROWS BETWEEN UNBOUNDED PRECEDING AND {end})"

    before, through, after = upto("1 PRECEDING"), upto("CURRENT ROW"), upto("1 FOLLOWING")
    total = f"SUM({weight}) OVER (PARTITION BY {_CELL})"
    carried_names = ", ".join(part.rsplit(" AS ", 1)[-1].strip() for part in carried.split(";"))
    carried_columns = ", ".join(part.strip() for part in carried.split(";"))
    return f"""
{name}_ranked AS MATERIALIZED (
    SELECT {_CELL}, amount, {carried_columns},
        ROW_NUMBER() OVER ({ordered}) AS position,
        (COALESCE({before}, 0) + {through}) / 2.0 / {total} AS centre,
        CASE WHEN LEAD(amount) OVER ({ordered}) IS NOT NULL
             THEN ({through} + {after}) / 2.0 / {total} END AS next_centre,
        LEAD(amount) OVER ({ordered}) AS next_amount
    FROM {source}
),
{name} AS MATERIALIZED (
    SELECT {_CELL}, {carried_names}, point,
        CASE WHEN point / 100.0 <= centre OR next_centre IS NULL THEN amount
             ELSE amount + (next_amount - amount) * (point / 100.0 - centre)
                  / (next_centre - centre)
        END AS amount
    FROM {name}_ranked JOIN {points}
        ON (position = 1 AND point / 100.0 < centre)
        OR (centre <= point / 100.0 AND (next_centre IS NULL OR point / 100.0 < next_centre))
)"""  # noqa: S608 - text from this module's constants; every value is a parameter


class _Statement:
    """One statement's text and parameters, in the order the text names them."""

    def __init__(self, today: date, wanted: Sequence[Cell] | None):
        self.today = today
        self.wanted = wanted
        self.params: list = []

    def date(self, value: date) -> str:
        self.params.append(value.isoformat())
        # SQLite compares ISO dates as text; CAST AS DATE there would make them numbers.
        return "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"

    def number(self, value: Decimal) -> str:
        self.params.append(str(value))
        return "CAST(%s AS NUMERIC)"

    def value(self, value: int) -> str:
        self.params.append(value)
        return "%s"

    def prefix(self) -> str:
        """The CTEs both statements start with, ending in ``eligible``: one row per contribution
        and place it counts in, with its ageing and conversion multiplier."""
        wanted_cte = wanted_join = ""
        if self.wanted is not None:
            rows = ", ".join(
                f"({self.value(role)}, {self.value(level or 0)}, {self.value(place)})"
                for role, level, place in self.wanted
            )
            wanted_cte = f"wanted (role_id, level_key, place_id) AS (VALUES {rows}),"
            wanted_join = (
                "JOIN wanted w ON w.role_id = p.role_id AND w.level_key = p.level_key "
                "AND w.place_id = p.place_id"
            )
        ageing = ", ".join(
            f"({self.date(start)}, {self.date(end)}, {self.number(factor)})"
            for start, end, factor in ageing_table(self.today)
        )
        rates = ", ".join(
            f"({self.value(currency)}, {self.number(units)})"
            for currency, units in newest_rates(self.today).items()
        )
        where = "c.excluded_reason = ''"
        if not settings.COMMUNITY_DEMO_DATA:
            where += " AND NOT c.is_demo"
        if self.wanted is not None:
            roles = sorted({cell[0] for cell in self.wanted})
            where += f" AND c.role_id IN ({', '.join(self.value(r) for r in roles)})"
            # Only the contributions in the wanted places go through ageing and the union.
            places = sorted({cell[2] for cell in self.wanted})
            where += (
                " AND ("
                + " OR ".join(
                    f"c.{column} IN ({', '.join(self.value(p) for p in places)})"
                    for column in ("location_id", "state_id", "nation_id")
                )
                + ")"
            )
        return f"""
WITH {wanted_cte}
ageing (month_start, month_end, factor) AS (VALUES {ageing}),
rates (currency, units_per_usd) AS (VALUES {rates}),
contribution AS MATERIALIZED (
    SELECT c.id, c.revision, c.role_id, COALESCE(c.level_id, 0) AS level_key,
        c.location_id, c.state_id, c.nation_id, c.company_key, c.contributor_key, c.offered_in,
        c.is_demo, c.currency, c.base, c.target_bonus, c.average_yearly_total, a.factor
    FROM benchmarks_contribution c
    JOIN ageing a ON c.offered_in >= a.month_start AND c.offered_in < a.month_end
    WHERE {where}
),
placed AS MATERIALIZED (
    SELECT contribution.*, location_id AS place_id FROM contribution
    UNION ALL
    SELECT contribution.*, state_id FROM contribution
    WHERE state_id IS NOT NULL AND state_id <> location_id
    UNION ALL
    SELECT contribution.*, nation_id FROM contribution
    WHERE nation_id IS NOT NULL AND nation_id <> location_id
        AND (state_id IS NULL OR nation_id <> state_id)
),
converted AS MATERIALIZED (
    SELECT p.id, p.revision, p.role_id, p.level_key, p.place_id, p.company_key,
        p.contributor_key, p.offered_in, p.is_demo, p.base, p.target_bonus,
        p.average_yearly_total, l.currency AS cell_currency,
        p.factor * CASE WHEN p.currency = l.currency THEN 1
                        ELSE cell_rate.units_per_usd / own_rate.units_per_usd END AS multiplier,
        CASE WHEN p.currency = l.currency
                  OR (cell_rate.units_per_usd IS NOT NULL AND own_rate.units_per_usd IS NOT NULL)
             THEN 1 ELSE 0 END AS convertible
    FROM placed p
    {wanted_join}
    JOIN benchmarks_location l ON l.id = p.place_id
    LEFT JOIN rates own_rate ON own_rate.currency = p.currency
    LEFT JOIN rates cell_rate ON cell_rate.currency = l.currency
),
-- each person once in a cell: their newest convertible contribution there (the others without
-- a rate are kept, to be counted as left out)
by_person AS MATERIALIZED (
    SELECT converted.*,
        ROW_NUMBER() OVER (
            PARTITION BY role_id, level_key, place_id, contributor_key
            ORDER BY convertible DESC, offered_in DESC, id DESC
        ) AS person_rank
    FROM converted
),
eligible AS MATERIALIZED (
    SELECT * FROM by_person WHERE person_rank = 1 OR convertible = 0
)"""  # noqa: S608 - text from this module's constants; every value is a parameter


def _figures_sql(statement: _Statement) -> str:
    components = ", ".join(f"({n}, '{c}')" for n, c in enumerate(COMPONENTS))
    step = 1 << _ID_BITS
    # A constant of this module, not input: written into the text.
    cap = f"CAST('{COMPANY_CAP}' AS DOUBLE PRECISION)"
    uncapped = (
        "company_rank = companies OR offers * (1 - (company_rank - 1) * cap) "
        "<= cap * offers_from_here"
    )
    by_cell = f"OVER (PARTITION BY {_CELL})"
    one = "CAST(1 AS DOUBLE PRECISION)"
    spread = _percentile_ctes(
        "spread", "valued", one, "quartile_points", f"COUNT(*) {by_cell} AS considered"
    )
    figures = _percentile_ctes(
        "figures",
        "weighted",
        "weight",
        "band_points",
        f"""considered; cell_currency; companies; COUNT(*) {by_cell} AS contributions;
        MIN(offered_in) {by_cell} AS earliest; MAX(offered_in) {by_cell} AS latest;
        MAX(CASE WHEN is_demo THEN 1 ELSE 0 END) {by_cell} AS is_demo""",
    )
    pivot = ", ".join(f"MAX(CASE WHEN point = {p} THEN amount END)" for p in POINTS)
    return f"""{statement.prefix()},
components (component_no, component) AS (VALUES {components}),
quartile_points (point) AS (VALUES (25), (75)),
band_points (point) AS (VALUES {", ".join(f"({p})" for p in POINTS)}),
valued AS MATERIALIZED (
    SELECT ((CAST(e.role_id AS BIGINT) * {step} + e.level_key) * {step} + e.place_id) * 4
            + k.component_no AS band,
        e.id, e.company_key, e.offered_in, e.is_demo, e.cell_currency,
        -- binary floating point from here on, on both databases: PostgreSQL's exact numeric
        -- made the sorts and sums several times slower, for digits far below a cent
        CAST(CASE k.component WHEN 'base' THEN e.base
                              WHEN 'total_cash' THEN e.base + e.target_bonus
                              ELSE e.average_yearly_total END * e.multiplier
             AS DOUBLE PRECISION) AS amount
    FROM eligible e CROSS JOIN components k
    WHERE e.convertible = 1
),
{spread},
quartiles AS MATERIALIZED (
    SELECT {_CELL}, MAX(considered) AS considered,
        MAX(CASE WHEN point = 25 THEN amount END) AS q1,
        MAX(CASE WHEN point = 75 THEN amount END) AS q3
    FROM spread GROUP BY {_CELL}
),
kept AS MATERIALIZED (
    SELECT v.*, q.considered FROM valued v JOIN quartiles q ON {_same_cell("v", "q")}
    WHERE v.amount >= q.q1 - {OUTLIER_IQRS} * (q.q3 - q.q1) - {_FENCE_TOLERANCE}
      AND v.amount <= q.q3 + {OUTLIER_IQRS} * (q.q3 - q.q1) + {_FENCE_TOLERANCE}
),
company_offers AS MATERIALIZED (
    SELECT kept.*, COUNT(*) OVER (PARTITION BY {_CELL}, company_key) AS offers FROM kept
),
company_ranked AS MATERIALIZED (
    SELECT company_offers.*,
        DENSE_RANK() OVER (PARTITION BY {_CELL} ORDER BY offers DESC, company_key)
            AS company_rank,
        COUNT(*) OVER (PARTITION BY {_CELL} ORDER BY offers DESC, company_key
                       RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS offers_from_here,
        -- each company's offers add up to one: the sum is the count of companies
        CAST(ROUND(SUM({one} / offers) {by_cell}) AS INTEGER) AS companies
    FROM company_offers
),
company_capped AS (
    SELECT company_ranked.*,
        CASE WHEN {cap} * companies >= 1 THEN {cap} ELSE {one} / companies END AS cap
    FROM company_ranked
),
company_weights AS MATERIALIZED (
    SELECT company_capped.*,
        MIN(CASE WHEN {uncapped} THEN company_rank END) {by_cell} AS first_uncapped,
        -- the first uncapped company's offers and all after it: the most of any uncapped one
        MAX(CASE WHEN {uncapped} THEN offers_from_here END) {by_cell} AS uncapped_offers
    FROM company_capped
),
weighted AS (
    SELECT company_weights.*,
        CASE WHEN company_rank < first_uncapped THEN cap / offers
             ELSE (1 - (first_uncapped - 1) * cap) / uncapped_offers END AS weight
    FROM company_weights
),
{figures}
SELECT {_CELL}, MAX(cell_currency), MAX(contributions), MAX(companies),
    MAX(considered) - MAX(contributions), MAX(earliest), MAX(latest), MAX(is_demo), {pivot}
FROM figures GROUP BY {_CELL}"""  # noqa: S608 - text from this module's constants; every value is a parameter


def ageing_table(today: date) -> list[tuple[date, date, Decimal]]:
    """(first day of the month, first day of the next, factor to ``today``) for each month of
    the window, newest first: (1 + rate) ** (months / 12), as benchmarks.lookup ages bands."""
    rate = _growth_rate(today)
    rows = []
    year, month = today.year, today.month
    for months_ago in range(WINDOW_MONTHS):
        start = date(year, month, 1)
        end = _FAR_FUTURE if months_ago == 0 else rows[-1][0]
        factor = (_ONE + rate) ** (Decimal(months_ago) / 12) if rate else _ONE
        rows.append((start, end, factor.quantize(Decimal("0.000000000001"))))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return rows


def _growth_rate(today: date) -> Decimal:
    """The rate benchmarks.lookup would age a band to ``today`` with."""
    growth = sorted(WageGrowth.objects.all(), key=lambda g: g.effective_date)
    rows = [g for g in growth if g.effective_date <= today] or growth[:1]
    return rows[-1].yearly_rate if rows else Decimal(0)


def newest_rates(today: date) -> dict[str, Decimal]:
    """Units per U.S. dollar of each currency with a rate on or before ``today``."""
    rates = {"USD": _ONE}
    for rate in ExchangeRate.objects.filter(date__lte=today).order_by("date"):
        rates[rate.currency] = rate.units_per_usd
    return rates


def _level(level_key: int) -> int | None:
    return level_key or None


def _eligible(statement: _Statement) -> tuple[dict[Cell, dict[int, tuple[int, str]]], int]:
    """Each cell's eligible contributions {id: (revision, company key)}, and how many
    contributions were left out of a cell for want of an exchange rate."""
    columns = "role_id, level_key, place_id, id, revision, company_key, convertible"
    sql = f"{statement.prefix()}\nSELECT {columns} FROM eligible"  # nosec B608 - this module's text
    by_cell: dict[Cell, dict[int, tuple[int, str]]] = defaultdict(dict)
    no_rate = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, statement.params)
        for role, level_key, place, pk, revision, company, convertible in cursor.fetchall():
            if convertible:
                by_cell[(role, _level(level_key), place)][pk] = (revision, company)
            else:
                no_rate.add(pk)
    return by_cell, len(no_rate)


def cell_figures(*, today: date, cells: Iterable[Cell] | None = None) -> dict[BandKey, CellFigures]:
    """Steps 1–6 of the module docstring for every cell (or ``cells``), in the database."""
    statement = _Statement(today, None if cells is None else list(dict.fromkeys(map(tuple, cells))))
    if statement.wanted == []:
        return {}
    _check_id_bounds()
    sql = _figures_sql(statement)
    figures = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, statement.params)
        for row in cursor.fetchall():
            band, currency, count, companies, outliers, earliest, latest, is_demo = row[:8]
            figures[_band_key(band)] = CellFigures(
                contributions=count,
                companies=companies,
                outliers_left_out=outliers,
                percentiles={p: _decimal(v) for p, v in zip(POINTS, row[8:], strict=True)},
                currency=currency,
                earliest=_date(earliest),
                latest=_date(latest),
                is_demo=bool(is_demo),
            )
    return figures


def _decimal(value) -> Decimal:
    # SQLite answers in binary floats: through repr, the shortest decimal that is that float.
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# Publication -----------------------------------------------------------------------------------


@dataclass
class _Decision:
    key: BandKey
    status: str
    figures: CellFigures
    percentiles: dict[int, Decimal | None]
    members: dict[int, tuple[int, str]] | None  # written for a newly published cell
    existing: CommunityBand | None
    smoothing: str = ""
    # A cell hidden after a loss: its published members still counted, {id: revision}, kept
    # so that it is published again only once enough is new since (module docstring).
    remembered: dict[int, int] | None = None

    @property
    def is_new(self) -> bool:
        return self.members is not None

    @property
    def contributions(self) -> int:
        """How many contributions the figures it shows stand on."""
        if self.is_new or self.existing is None:
            return self.figures.contributions
        return self.existing.contributions


def _decide(
    key: BandKey,
    eligible: dict[int, tuple[int, str]],
    figures: CellFigures,
    existing: CommunityBand | None,
    members: dict[int, int],
) -> _Decision:
    """Whether a cell is published afresh, kept as published, or hidden (module docstring)."""

    def publish() -> _Decision:
        if not figures.meets_thresholds:
            return hidden(_TOO_FEW)
        shown = dict(figures.percentiles)
        if figures.contributions < TAILS_FROM:
            shown[10] = shown[90] = None
        return _Decision(key, _SHOWN, figures, shown, eligible, existing)

    def hidden(status: str, remembered: dict[int, int] | None = None) -> _Decision:
        return _Decision(
            key, status, figures, dict.fromkeys(POINTS), None, existing, remembered=remembered
        )

    if existing is None or not members:
        return publish()  # nothing published stands beside it to difference against
    changed = [pk for pk, (revision, _) in eligible.items() if members.get(pk) != revision]
    if (
        len(changed) >= MIN_CONTRIBUTIONS
        and len({eligible[pk][1] for pk in changed}) >= MIN_COMPANIES
    ):
        return publish()
    still_counted = {
        pk: revision for pk, revision in members.items() if eligible.get(pk, (None,))[0] == revision
    }
    status_left = _REFRESHING if figures.meets_thresholds else _TOO_FEW
    if existing.status != _SHOWN:
        return hidden(status_left, still_counted)
    # A member withdrawn is gone from the table with its member row: the count tells.
    lost = len(members) < existing.contributions + existing.outliers_left_out or any(
        pk not in eligible for pk in members
    )
    if lost:
        return hidden(status_left, still_counted)
    return _Decision(key, _SHOWN, figures, existing.percentiles, None, existing)


# The ladder ------------------------------------------------------------------------------------


def _smooth_ladders(decisions: Iterable[_Decision], levels: dict[int, Level]) -> int:
    """Keep shown medians rising with the level in each role × place × component; returns how
    many cells moved."""
    ladders: dict[tuple, list[_Decision]] = defaultdict(list)
    for decision in decisions:
        role, level, place, component = decision.key
        if decision.status == _SHOWN and level is not None:
            ladders[(role, place, component)].append(decision)
    moved = 0
    for ladder in ladders.values():
        if len(ladder) < 2:
            continue
        ladder.sort(key=lambda d: levels[d.key[1]].rank)
        medians = [d.percentiles[50] for d in ladder]
        smoothed = _rising(medians, [d.contributions for d in ladder])
        for i, (decision, before, after) in enumerate(zip(ladder, medians, smoothed, strict=True)):
            if _whole(after) == _whole(before):
                continue
            moved += 1
            ratio = after / before
            decision.percentiles = {
                p: (v * ratio if v is not None else None) for p, v in decision.percentiles.items()
            }
            neighbour = ladder[i - 1] if after > before else ladder[i + 1]
            decision.smoothing = _smoothing_sentence(
                decision, before, after, levels[neighbour.key[1]].name
            )
    return moved


def _rising(medians: Sequence[Decimal], weights: Sequence[int]) -> list[Decimal]:
    """Pool-adjacent-violators weighted by ``weights`` (a value never pooled is kept as is),
    then each at least MIN_LEVEL_STEP above the one before."""
    blocks: list[list] = []  # [weighted sum, weight, count, value]
    for median, weight in zip(medians, weights, strict=True):
        blocks.append([median * weight, weight, 1, median])
        while len(blocks) > 1 and blocks[-2][3] > blocks[-1][3]:
            last = blocks.pop()
            block = blocks[-1]
            block[0] += last[0]
            block[1] += last[1]
            block[2] += last[2]
            block[3] = block[0] / block[1]
    pooled = [block[3] for block in blocks for _ in range(block[2])]
    for i in range(1, len(pooled)):
        floor = pooled[i - 1] * MIN_LEVEL_STEP
        if pooled[i] < floor:
            pooled[i] = floor
    return pooled


def _smoothing_sentence(decision: _Decision, before: Decimal, after: Decimal, level: str) -> str:
    currency = decision.figures.currency
    count = decision.contributions
    way, side = ("raised", "above") if after > before else ("lowered", "below")
    # Shown as precisely as the band's own figures, no more: to the dollar, a thin cell's
    # medians would say more than its band does.
    before, after = (rounded_for_display(amount, count) for amount in (before, after))
    return (
        f"Median {way} from {format_money(before, currency)} to "
        f"{format_money(after, currency)} to stay {side} {level}'s; thin data ({count} offers)"
    )


def _whole(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else amount.quantize(_WHOLE, rounding=ROUND_HALF_UP)


# The rebuild -----------------------------------------------------------------------------------


def rebuild_community_bands(
    *, cells: Iterable[Cell] | None = None, today: date | None = None
) -> RebuildReport:
    """Rebuild every community band (``cells=None``) or all components of the given cells
    (role_id, level_id, location_id): the path after one contribution changes. One transaction;
    a cell left with no eligible contribution is deleted."""
    started = time.monotonic()
    today = today or timezone.localdate()
    wanted = None if cells is None else list(dict.fromkeys(map(tuple, cells)))
    report = RebuildReport()
    if wanted == []:
        return report
    with transaction.atomic():
        _one_rebuild_at_a_time()
        eligible, report.left_out_no_rate = _eligible(_Statement(today, wanted))
        figures = cell_figures(today=today, cells=wanted)
        existing, members = _existing(wanted)
        decisions = []
        for key, cell_figures_ in figures.items():
            band = existing.get(key)
            eligible_here = eligible.get(key[:3], {})
            decisions.append(
                _decide(
                    key,
                    eligible_here,
                    cell_figures_,
                    band,
                    members.get(band.pk, {}) if band else {},
                )
            )
        ladder_context = _ladder_context(wanted, figures.keys())
        levels = {level.pk: level for level in Level.objects.all()}
        report.smoothed = _smooth_ladders(decisions + ladder_context, levels)
        _write(decisions + ladder_context, existing, figures, today, report)
    report.contributions = len({pk for cell in eligible.values() for pk in cell})
    report.seconds = time.monotonic() - started
    return report


# Any number, the same in every process: the key of the PostgreSQL lock rebuilds queue on.
_REBUILD_LOCK = 7_310_411


def _one_rebuild_at_a_time() -> None:
    """Two people contributing at once start two incremental rebuilds; on PostgreSQL the second
    waits for the first to commit (else both would replace the same cell). SQLite lets one
    writer in at a time already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REBUILD_LOCK])


def _cell_filter(wanted: Sequence[Cell]) -> Q:
    wanted_q = Q(pk__in=[])
    for role, level, place in wanted:
        level_q = Q(level__isnull=True) if level is None else Q(level=level)
        wanted_q |= Q(role=role, location=place) & level_q
    return wanted_q


def _existing(
    wanted: Sequence[Cell] | None,
) -> tuple[dict[BandKey, CommunityBand], dict[int, dict[int, int]]]:
    """The cells' current rows, and the members {contribution: revision} of each shown one (and
    of each hidden after a loss)."""
    bands = CommunityBand.objects.all()
    if wanted is not None:
        bands = bands.filter(_cell_filter(wanted))
    by_key = {(b.role_id, b.level_id, b.location_id, b.component): b for b in bands}
    members: dict[int, dict[int, int]] = defaultdict(dict)
    rows = CommunityBandMember.objects.values_list("band_id", "contribution_id", "revision")
    if wanted is not None:
        rows = rows.filter(band__in=[b.pk for b in by_key.values()])
    for band, contribution, revision in rows:
        members[band][contribution] = revision
    return by_key, members


def _ladder_context(wanted: Sequence[Cell] | None, rebuilt: Iterable[BandKey]) -> list[_Decision]:
    """For an incremental rebuild, the shown cells of other levels on the rebuilt cells'
    ladders, as published: the ladder is kept rising across them too."""
    if wanted is None:
        return []
    rebuilt = set(rebuilt) | {(*cell, c) for cell in wanted for c in COMPONENTS}
    roles = {cell[0] for cell in wanted}
    places = {cell[2] for cell in wanted}
    context = []
    for band in CommunityBand.objects.filter(
        role__in=roles, location__in=places, status=_SHOWN, level__isnull=False
    ):
        key = (band.role_id, band.level_id, band.location_id, band.component)
        if key in rebuilt:
            continue
        figures = CellFigures(
            band.contributions, band.companies, band.outliers_left_out, {}, band.currency
        )
        context.append(_Decision(key, _SHOWN, figures, band.percentiles, None, band))
    return context


def _write(
    decisions: Sequence[_Decision],
    existing: dict[BandKey, CommunityBand],
    figures: dict[BandKey, CellFigures],
    today: date,
    report: RebuildReport,
) -> None:
    now = timezone.now()
    replaced: list[int] = [band.pk for key, band in existing.items() if key not in figures]
    report.removed = len(replaced)
    created: list[tuple[CommunityBand, _Decision]] = []
    updated: list[CommunityBand] = []
    for decision in decisions:
        band = decision.existing
        if decision.key in figures:  # not a neighbour on the ladder, outside the rebuild
            report.shown += decision.status == _SHOWN
            report.too_few += decision.status == _TOO_FEW
            report.refreshing += decision.status == _REFRESHING
            report.published += decision.is_new
            report.kept += decision.status == _SHOWN and not decision.is_new
        if not decision.is_new and decision.status == _SHOWN:
            if decision.smoothing:  # kept as published, but moved to keep the ladder rising
                for point, value in decision.percentiles.items():
                    setattr(band, f"p{point}", _whole(value))
                band.smoothing = decision.smoothing
                updated.append(band)
            continue
        if not decision.is_new and band is not None and _same_hidden(band, decision):
            continue
        if band is not None:
            replaced.append(band.pk)
        created.append((_new_band(decision, today, now), decision))
    for start in range(0, len(replaced), _CHUNK):
        CommunityBand.objects.filter(pk__in=replaced[start : start + _CHUNK]).delete()
    CommunityBand.objects.bulk_create([band for band, _ in created], batch_size=1000)
    _insert_members(
        (band.pk, pk, revision)
        for band, decision in created
        for pk, revision in _members_kept(decision).items()
    )
    CommunityBand.objects.bulk_update(
        updated, [f"p{p}" for p in POINTS] + ["smoothing"], batch_size=500
    )


def _insert_members(rows: Iterable[tuple[int, int, int]]) -> None:
    """(band, contribution, revision) rows, a thousand to a statement. A full rebuild
    writes some 150,000 (every cell's contributions, once per component): as model instances
    through bulk_create that was three quarters of the rebuild's time, for three integers each."""
    table = CommunityBandMember._meta.db_table
    columns = ", ".join(
        connection.ops.quote_name(CommunityBandMember._meta.get_field(name).column)
        for name in ("band", "contribution", "revision")
    )
    rows = list(rows)
    per_statement = 1000  # 3,000 parameters: within SQLite's limit
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608 - the model's own names
                [value for row in chunk for value in row],
            )


def _members_kept(decision: _Decision) -> dict[int, int]:
    if decision.is_new:
        return {pk: revision for pk, (revision, _) in decision.members.items()}
    return decision.remembered or {}


def _same_hidden(band: CommunityBand, decision: _Decision) -> bool:
    """A hidden cell whose counts did not move is left alone (no needless market-data write)."""
    figures = decision.figures
    return (
        band.status == decision.status
        and band.contributions == figures.contributions
        and band.companies == figures.companies
        and band.outliers_left_out == figures.outliers_left_out
        and band.currency == figures.currency
        and band.is_demo == figures.is_demo
    )


def _new_band(decision: _Decision, today: date, now) -> CommunityBand:
    role, level, place, component = decision.key
    figures = decision.figures
    shown = decision.status == _SHOWN
    return CommunityBand(
        role_id=role,
        level_id=level,
        location_id=place,
        component=component,
        currency=figures.currency,
        status=decision.status,
        **{f"p{p}": _whole(v) for p, v in decision.percentiles.items()},
        contributions=figures.contributions,
        companies=figures.companies,
        outliers_left_out=figures.outliers_left_out,
        # A hidden cell says how many it has, not when they were made.
        earliest=figures.earliest if shown else None,
        latest=figures.latest if shown else None,
        as_of=today,
        smoothing=decision.smoothing,
        is_demo=figures.is_demo,
        built_at=now,
    )
