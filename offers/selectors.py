"""Reads a view orchestrates: a person's offers, the exchange rates on file, and the comparison
of a selection. Views call these; they never import each other for them."""

import functools
import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from benchmarks.exchange_rates import rate_label
from benchmarks.market_cache import MarketCache, market_version
from benchmarks.models import ExchangeRate
from offers.charts import cumulative_chart
from offers.comparison import (
    MAX_OFFERS,
    USD,
    ComparedOffer,
    Comparison,
    MissingRate,
    RateQuote,
    align_horizons,
    compare,
    conversion,
    convert_terms,
)
from offers.compensation import CompensationResult, OfferTerms, compute_compensation
from offers.market import MarketPosition, market_positions
from offers.models import Offer, Round
from offers.negotiation import Competitor
from offers.rounds import negotiation_rounds
from offers.terms import offer_terms
from offers.valuation import equity_value_from


def owned_offers(*, user) -> QuerySet[Offer]:
    """The person's offers, with what their market position reads (role, level, place…)."""
    return Offer.objects.owned_by(user).with_market_context()


# Long enough for a person moving between their pages; a person's data is not kept for long.
PERSON_CACHE_SECONDS = 15 * 60


def _kept_for_person[T](user, kind: str, load: Callable[[], T]) -> T:
    """What `load` reads of the person's offers, kept in the shared cache under the person's data
    version and the market-data version: the versions their pages' ETags stand on, which database
    triggers change on any write to the person's offers, rounds or share links, or to market data
    (core/stamps.py). Building 20 offers with their role, level and place from rows is about a
    quarter of the pages that list them; unpickling them, a fifth of that.

    `user` is the person as loaded for this request, so its `data_stamp` is current."""
    key = f"person:{user.pk}:{user.data_stamp}:{market_version()}:{_kept_shape()}:{kind}"
    kept = cache.get(key)
    if kept is None:
        kept = load()
        cache.set(key, kept, PERSON_CACHE_SECONDS)
    return kept


@functools.cache
def _kept_shape() -> str:
    """A digest of the columns of what is kept: a release that changes them reads afresh instead
    of unpickling rows of the old shape left in the shared cache by the release before."""
    models = [Offer, *(Offer._meta.get_field(name).related_model for name in _KEPT_WITH_OFFER)]
    columns = [(m._meta.label, [f.attname for f in m._meta.concrete_fields]) for m in models]
    return hashlib.blake2b(repr(columns).encode(), digest_size=4).hexdigest()


# What `with_market_context` reads with each offer.
_MARKET_CONTEXT = ("role", "level", "location", "industry", "company_size")
_KEPT_WITH_OFFER = (*_MARKET_CONTEXT, "contribution")


def _sharing_market_rows(offers: list[Offer]) -> list[Offer]:
    """The offers with one instance of each role, level, place… they share, as prefetching
    gives: the kept list pickles each once (about half the bytes, a third less to unpickle)."""
    seen: dict[tuple[str, int], object] = {}
    for offer in offers:
        for name in _MARKET_CONTEXT:
            row = getattr(offer, name)
            if row is not None:
                setattr(offer, name, seen.setdefault((name, row.pk), row))
    return offers


def owned_offer_list(*, user) -> list[Offer]:
    """The signed-in person's offers as `owned_offers` reads them, from the shared cache while
    nothing they are read from has changed (`user` as loaded for this request)."""
    if not user.is_authenticated:
        return []
    return _kept_for_person(
        user, "offers", lambda: _sharing_market_rows(list(owned_offers(user=user)))
    )


def owned_offer_or_404(*, user, pk: int, market_context: bool = True) -> Offer:
    """The person's offer `pk` (404 for anyone else's, or none), with what its market position
    reads unless `market_context` is False."""
    offers = owned_offers(user=user) if market_context else Offer.objects.owned_by(user)
    return get_object_or_404(offers, pk=pk)


def owned_offer_shown(*, user, pk: int) -> Offer:
    """The person's offer `pk` as its page shows it, with its market context (404 for anyone
    else's, or none), from the shared cache while nothing it is read from has changed (`user`
    as loaded for this request). The contribution read with it is kept too: what the page shows
    of it (its month, the places it counts toward) changes only with a write to the offer's own
    row (contributing, withdrawing and editing all write it); an admin's exclusion, which writes
    only the contribution, is not shown there."""
    return _kept_for_person(user, f"offer:{pk}", lambda: owned_offer_or_404(user=user, pk=pk))


def owned_offer_and_others(*, user, pk: int) -> tuple[Offer, list[Offer]]:
    """The offer (404 unless it is the person's own) and their other offers, in one query; each
    knows who spoke last in its negotiation (`last_round_by`), so its rounds are read only when
    the company answered last (`negotiation_standing`)."""
    last_round_by = Subquery(
        Round.objects.filter(offer=OuterRef("pk")).order_by("-number").values("who")[:1]
    )
    owned = _kept_for_person(
        user,
        "offers-with-last-round",
        lambda: _sharing_market_rows(
            list(owned_offers(user=user).annotate(last_round_by=last_round_by))
        ),
    )
    offer = next((o for o in owned if o.pk == pk), None)
    if offer is None:
        raise Http404("No such offer.")
    return offer, [o for o in owned if o.pk != pk]


def competitors_for(
    *, offer: Offer, others: Sequence[Offer], risk_adjusted: bool = False
) -> tuple[list[Competitor], list[str]]:
    """The person's other offers in this offer's currency and horizon (private equity less its
    discount when `risk_adjusted`); those that can't be converted or computed are named and
    left out."""
    rates = latest_rates(currencies={o.currency for o in others} | {offer.currency})
    competitors, skipped = [], []
    for other in others:
        try:
            other_terms = convert_terms(
                offer_terms(other, risk_adjusted=risk_adjusted),
                conversion(other.currency, offer.currency, rates),
            )
        except (MissingRate, ValueError):
            skipped.append(other.company)
            continue
        competitors.append(
            Competitor(other.company, other_terms, compute_compensation(other_terms))
        )
    return competitors, skipped


@dataclass(frozen=True)
class Standing:
    """Where a negotiation stands once the company has answered: their newest round, and the
    person's last counter before it, each as an (unsaved) offer with its terms."""

    answer: Round
    ask: Round
    answer_offer: Offer
    answer_terms: OfferTerms
    ask_terms: OfferTerms


def answer_and_ask(history: Sequence[Round]) -> tuple[Round, Round] | None:
    """The company's answer to a counter: its newest round and the person's last counter before
    it, when in `history` (oldest first) the company spoke last after the person countered."""
    if not history or history[-1].who != Round.Who.COMPANY:
        return None
    ask = next((v for v in reversed(history) if v.who == Round.Who.CANDIDATE), None)
    return None if ask is None else (history[-1], ask)


def negotiation_standing(*, offer: Offer, risk_adjusted: bool = False) -> Standing | None:
    """The company's answer to the person's last counter, when the company spoke last; None
    before any counter, after the person's own newest round, or when a round can't be computed.
    Their terms value private equity less its discount when `risk_adjusted`."""
    if offer.last_round_by != Round.Who.COMPANY:
        return None  # the company did not speak last: no need to read the rounds
    answered = answer_and_ask(list(offer.rounds.all()))
    if answered is None:
        return None
    answer, ask = answered
    answer_offer = answer.as_offer()
    try:
        return Standing(
            answer,
            ask,
            answer_offer,
            offer_terms(answer_offer, risk_adjusted=risk_adjusted),
            offer_terms(ask.as_offer(), risk_adjusted=risk_adjusted),
        )
    except ValueError:
        return None


# The newest rates change only with market data (exchange rates are stamped market data), and
# finding them runs a subquery per stored rate (profiled: about 3 ms of compare's 17 on SQLite).
LATEST_RATES = MarketCache("latest-rates")


def latest_rates(*, currencies: set[str] | None = None) -> dict[str, RateQuote]:
    """The newest stored rate of each of `currencies` (of every currency on file when None), up
    to today, with who published it: from the shared cache of market data, else one query; none
    for USD only."""
    if currencies is not None and not currencies - {USD}:
        return {}
    wanted = None if currencies is None else tuple(sorted(currencies - {USD}))
    today = timezone.localdate()
    (rates,) = LATEST_RATES.get_or_compute(
        [(wanted, today)], lambda keys: [_rates_on_file(wanted, today)]
    )
    return dict(rates)  # the caller's own copy


def _rates_on_file(currencies: Sequence[str] | None, today) -> dict[str, RateQuote]:
    rows = ExchangeRate.objects.filter(date__lte=today)
    if currencies is not None:
        rows = rows.filter(currency__in=currencies)
    newest = rows.filter(currency=OuterRef("currency")).order_by("-date").values("date")[:1]
    rows = rows.filter(date=Subquery(newest)).select_related("source")
    return {
        row.currency: RateQuote(
            row.currency, row.units_per_usd, row.date, rate_label(row.source.name)
        )
        for row in rows.only("currency", "units_per_usd", "date", "source__name")
    }


@dataclass
class Selection:
    offers: list[Offer]
    currency: str
    messages: list[str] = field(default_factory=list)


def parse_selection(
    *, params, owned: Sequence[Offer], currencies: Collection[str] | None = None
) -> Selection:
    """The offers named by `offers=` among `owned`, in URL order, and the chosen currency: one of
    `currencies` (USD and those with a rate on file, read when not given), or the offers' own when
    they are all in one. Bad input becomes a message, never an error page."""
    by_pk = {offer.pk: offer for offer in owned}
    messages = []
    chosen: list[Offer] = []
    raw_ids = params.getlist("offers")
    unreadable = left_out = False
    for raw in raw_ids:
        try:
            pk = int(raw)
        except ValueError:
            unreadable = True
            continue
        offer = by_pk.get(pk)
        if offer is None:
            left_out = True
        elif offer not in chosen:
            chosen.append(offer)
    if unreadable:
        messages.append("Some of the selection wasn't an offer number, so it was ignored.")
    if left_out:
        messages.append("A selected offer isn't among yours, so it was left out.")
    if len(chosen) > MAX_OFFERS:
        messages.append(f"Compare up to {MAX_OFFERS} offers at a time: showing the first four.")
        chosen = chosen[:MAX_OFFERS]
    allowed = {USD, *(latest_rates() if currencies is None else currencies)}
    own = {offer.currency for offer in chosen}
    if len(own) == 1:
        allowed |= own  # offers all in one currency are compared in it without a rate
    fallback = chosen[0].currency if chosen and chosen[0].currency in allowed else USD
    currency = params.get("currency") or fallback
    if currency not in allowed:
        messages.append("Choose a currency from the list.")
        currency = fallback
    return Selection(chosen, currency, messages)


@dataclass
class ComparisonPage:
    comparison: Comparison | None = None
    offers: list[Offer] = field(default_factory=list)
    positions: list[MarketPosition] = field(default_factory=list)
    chart: str = ""
    error: str = ""
    missing_rate: str = ""  # the currency whose rate is not on file, when that is the error
    # Each offer's terms over the common horizon in its own currency, at paper value and
    # risk-adjusted, and as shown (the switch's) in the comparison's currency.
    paper_terms: list[OfferTerms] = field(default_factory=list)
    risk_terms: list[OfferTerms] = field(default_factory=list)
    converted_terms: list[OfferTerms] = field(default_factory=list)
    # The comparison with private equity valued the other way (paper value or risk-adjusted),
    # when an illiquidity discount makes the two differ; `risk_adjusted` says which is shown.
    other_valuation: Comparison | None = None
    risk_adjusted: bool = False

    @property
    def terms(self) -> list[OfferTerms]:
        """Each offer's terms as shown (the switch's valuation), in its own currency."""
        return self.risk_terms if self.risk_adjusted else self.paper_terms

    @property
    def valuations_disagree(self) -> bool:
        """Paper value and risk-adjusted name a different stronger offer over the horizon."""
        return (
            self.comparison is not None
            and self.other_valuation is not None
            and self.other_valuation.over_horizon.stronger != self.comparison.over_horizon.stronger
        )

    @property
    def columns(self):
        """(offer, market position, illiquid?) per compared offer, in column order."""
        illiquid = self.comparison.illiquid if self.comparison else ()
        return list(zip(self.offers, self.positions, illiquid, strict=False))

    @property
    def table_sections(self):
        """The comparison's sections, each row with its cells named by offer (for the phone's
        cards)."""
        return self.comparison.named_sections if self.comparison else []


def comparison_page(
    *,
    offers: Sequence[Offer],
    currency: str,
    names: Sequence[str],
    rates: Mapping[str, RateQuote] | None = None,
    risk_adjusted: bool = False,
    shown: bool = True,
) -> ComparisonPage:
    """Everything a comparison shows: the engine over one horizon, each offer placed in its own
    location's band (in its own currency, at paper value, as bands are), then converted to
    `currency` at `rates` (read when not given). Private equity is valued less each offer's
    illiquidity discount when `risk_adjusted`; when a discount applies, the comparison the other
    way is made too, so the verdict can say where the two disagree. An export (`shown` False)
    leaves out what only the page shows: the market positions and the chart. Three queries at
    most."""
    if len(offers) < 2:
        return ComparisonPage(offers=list(offers))
    try:
        paper_terms = align_horizons([offer_terms(offer) for offer in offers])
        risk_terms = align_horizons([offer_terms(offer, risk_adjusted=True) for offer in offers])
    except ValueError:
        return ComparisonPage(
            offers=list(offers), error="One of these offers can't be computed: check its fields."
        )
    discounted = risk_terms != paper_terms
    terms, other_terms = (risk_terms, paper_terms) if risk_adjusted else (paper_terms, risk_terms)
    paper_results = [compute_compensation(t) for t in paper_terms]
    positions = market_positions(list(offers), paper_results) if shown else []
    if rates is None:
        rates = latest_rates(currencies={o.currency for o in offers} | {currency})
    try:
        compared, converted_terms = _compared(names, offers, terms, currency, rates)
        other = (
            compare(_compared(names, offers, other_terms, currency, rates)[0])
            if discounted
            else None
        )
    except MissingRate as missing:
        return ComparisonPage(
            offers=list(offers),
            positions=positions,
            error=f"{missing} {_without_rate(missing.currency, offers)}",
            missing_rate=missing.currency,
        )
    comparison = compare(compared)
    chart = (
        cumulative_chart(
            [(row.name, row.result.cumulative_totals) for row in compared], comparison.currency
        )
        if shown
        else ""
    )
    return ComparisonPage(
        comparison,
        list(offers),
        positions,
        chart,
        paper_terms=list(paper_terms),
        risk_terms=list(risk_terms),
        converted_terms=converted_terms,
        other_valuation=other,
        risk_adjusted=risk_adjusted,
    )


def _compared(
    names: Sequence[str],
    offers: Sequence[Offer],
    terms: Sequence[OfferTerms],
    currency: str,
    rates: Mapping[str, RateQuote],
) -> tuple[list[ComparedOffer], list[OfferTerms]]:
    """Each offer's result in `currency` (MissingRate when a rate is not on file)."""
    compared, converted_terms = [], []
    for name, offer, offer_terms_ in zip(names, offers, terms, strict=True):
        conv = conversion(offer.currency, currency, rates)
        converted = convert_terms(offer_terms_, conv)
        result = compute_compensation(converted)
        compared.append(ComparedOffer(name, result, None if conv.is_identity else conv))
        converted_terms.append(converted)
    return compared, converted_terms


def _without_rate(currency: str, offers: Sequence[Offer]) -> str:
    if all(offer.currency == currency for offer in offers):
        return f"Choose {currency} to compare them as they are."
    return f"Until a rate for {currency} is on file, its offers compare only with each other."


def offer_names(offers: Sequence[Offer]) -> list[str]:
    """Company names, numbered where two offers share one."""
    names = [offer.company for offer in offers]
    return [
        f"{name} ({names[:i].count(name) + 1})" if names.count(name) > 1 else name
        for i, name in enumerate(names)
    ]


def selected_comparison(
    *, user, params, shown: bool = True
) -> tuple[list[Offer], Selection, ComparisonPage, dict[str, RateQuote]]:
    """The comparison a URL's `offers=`, `currency=` and `equity=` ask for, among the person's
    offers: the offers owned, the selection as read, the comparison and every rate on file
    (without its chart and market positions for an export: `shown` False)."""
    owned = owned_offer_list(user=user)
    # One query serves the currency menu and the conversions: every rate on file.
    rates = latest_rates()
    selection = parse_selection(params=params, owned=owned, currencies={USD, *rates})
    names = offer_names(selection.offers)
    page = comparison_page(
        offers=selection.offers,
        currency=selection.currency,
        names=names,
        rates=rates,
        risk_adjusted=equity_value_from(params).risk_adjusted,
        shown=shown,
    )
    return owned, selection, page, rates


def shared_offers(*, owner_id: int, offer_ids: Sequence[int]) -> list[Offer]:
    """A share link's offers that its owner still has, in the link's order; never anyone else's."""
    by_pk = {
        offer.pk: offer
        for offer in Offer.objects.filter(owner_id=owner_id, pk__in=offer_ids).with_market_context()
    }
    return [by_pk[pk] for pk in offer_ids if pk in by_pk]


def result_or_none(offer: Offer, *, risk_adjusted: bool = False) -> CompensationResult | None:
    """The engine's result for `offer` (private equity less its illiquidity discount when
    `risk_adjusted`); None for terms it refuses (saved offers pass the same checks, an
    admin-edited row or an old round may not: they are shown, uncomputed)."""
    try:
        return compute_compensation(offer_terms(offer, risk_adjusted=risk_adjusted))
    except ValueError:
        return None


def round_history(*, offer: Offer, history: Sequence[Round], labels: Mapping[str, str]) -> dict:
    """The rounds of `offer`'s negotiation (`history`, oldest first) as a history shows them:
    newest first with what changed, the round whose terms the offer has now, and whether the
    company spoke last, answering a counter (then the next step is the next counter)."""
    rounds = negotiation_rounds(
        [
            (v.number, v.label, v.get_who_display(), v.snapshot, result_or_none(v.as_offer()))
            for v in history
        ],
        labels,
    )
    # The newest round whose terms the offer has now (none after an edit to other figures).
    current = next((v.number for v in reversed(history) if v.matches(offer)), None)
    answered = answer_and_ask(history) is not None
    return {"rounds": list(reversed(rounds)), "current_round": current, "answered": answered}
