"""Negotiate one offer: verdict, counter-offer targets the person can adjust (totals recomputed at
once with htmx), talking points and an email draft; and the rounds of the negotiation as versions.
"""

import copy
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.htmx import render_page_or_partial
from offers.compare_views import latest_rates
from offers.comparison import MissingRate, conversion, convert_terms, grant_value
from offers.compensation import OfferTerms, compute_compensation
from offers.forms import MAX_GRANT_VALUE, MAX_YEARLY_CASH, MoneyField
from offers.market import market_positions
from offers.models import VERSIONED_FIELDS, Offer, OfferVersion, offer_snapshot
from offers.negotiation import (
    Competitor,
    CounterTargets,
    adjusted_counter,
    email_draft,
    market_verdict,
    negotiation_rounds,
    suggest_after_answer,
    suggest_counter,
    talking_points,
)
from offers.page_cache import cached_owner_page
from offers.terms import offer_terms

# Versioned fields shown as money in a history (share prices keep their own precision).
MONEY_FIELDS = {
    "base_salary", "bonus_fixed", "sign_on_year1", "sign_on_year2", "relocation",
    "equity_grant_value", "refresher_value", "retirement_match_cap", "health_contribution",
    "learning_budget", "wellness_budget", "home_office_budget",
}  # fmt: skip
NOT_NEGATIVE = {"min_value": 0, "error_messages": {"min_value": "A target can't be negative."}}


def _money_field(label: str, maximum, required: bool = True) -> MoneyField:
    # Read as the offer form reads amounts: 165k, $165,000 and 165000 are the same target.
    return MoneyField(
        label=label,
        max_digits=14,
        decimal_places=2,
        max_value=maximum,
        required=required,
        **NOT_NEGATIVE,
    )


def _bonus_percent_field() -> forms.DecimalField:
    return forms.DecimalField(
        label="Target bonus (% of base)",
        max_digits=6,
        decimal_places=2,
        max_value=100,
        required=False,
        **NOT_NEGATIVE,
    )


class CounterForm(forms.Form):
    """The targets, as the person adjusts them. Bonus follows the offer's form: a percentage of
    base, or a fixed amount when the offer states one."""

    base_salary = _money_field("Base salary", MAX_YEARLY_CASH)
    bonus_percent = _bonus_percent_field()
    bonus_fixed = _money_field("Target bonus (yearly)", MAX_YEARLY_CASH, required=False)
    sign_on_year1 = _money_field("Sign-on bonus (one-time)", MAX_YEARLY_CASH)
    equity_grant_value = _money_field("Equity grant (value)", MAX_GRANT_VALUE)

    def __init__(self, *args, bonus_as_amount: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["bonus_percent" if bonus_as_amount else "bonus_fixed"]

    def targets(self) -> CounterTargets:
        data = self.cleaned_data
        return CounterTargets(
            base_salary=data["base_salary"],
            sign_on_year1=data["sign_on_year1"],
            equity_grant_value=data["equity_grant_value"],
            bonus_percent=data.get("bonus_percent"),
            bonus_fixed=data.get("bonus_fixed"),
        )


def _owned_offers(request: HttpRequest, pk: int) -> tuple[Offer, list[Offer]]:
    """The offer (404 unless it is the person's own) and their other offers, in one query."""
    # Who spoke last in the negotiation, read in the same query (rounds are fetched only when
    # the company answered last, see `_standing`).
    last_round_by = Subquery(
        OfferVersion.objects.filter(offer=OuterRef("pk")).order_by("-number").values("who")[:1]
    )
    owned = list(
        Offer.objects.owned_by(request.user)
        .with_market_context()
        .annotate(last_round_by=last_round_by)
    )
    offer = next((o for o in owned if o.pk == pk), None)
    if offer is None:
        raise Http404("No such offer.")
    return offer, [o for o in owned if o.pk != pk]


def _competitors(offer: Offer, others: list[Offer]) -> tuple[list[Competitor], list[str]]:
    """The person's other offers in this offer's currency and horizon; those that can't be
    converted or computed are named and left out."""
    rates = latest_rates({o.currency for o in others} | {offer.currency})
    competitors, skipped = [], []
    for other in others:
        try:
            other_terms = convert_terms(
                offer_terms(other), conversion(other.currency, offer.currency, rates)
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

    answer: OfferVersion
    ask: OfferVersion
    answer_offer: Offer
    answer_terms: OfferTerms
    ask_terms: OfferTerms


def _standing(offer: Offer) -> Standing | None:
    """The company's answer to the person's last counter, when the company spoke last; None
    before any counter, after the person's own newest round, or when a round can't be computed."""
    if offer.last_round_by != OfferVersion.Who.COMPANY:
        return None
    history = list(offer.versions.all())
    answer = history[-1]
    ask = next((v for v in reversed(history) if v.who == OfferVersion.Who.CANDIDATE), None)
    if ask is None:
        return None
    answer_offer = answer.as_offer()
    try:
        return Standing(
            answer, ask, answer_offer, offer_terms(answer_offer), offer_terms(ask.as_offer())
        )
    except ValueError:
        return None


def _suggestion(terms, result, position, competitors, standing: Standing | None):
    if standing is not None:
        return suggest_after_answer(terms, result, standing.ask_terms)
    return suggest_counter(
        terms, result, position.base_band, position.base, competitors, position.total_band
    )


def _counter_context(
    request: HttpRequest,
    offer: Offer,
    terms,
    result,
    position,
    competitors,
    verdicts,
    standing: Standing | None = None,
) -> dict:
    """The counter-offer, its form and its words; or, when no suggestion can be made from these
    figures, why (the verdict above it still shows)."""
    try:
        suggested = _suggestion(terms, result, position, competitors, standing)
    except (ValueError, ArithmeticError) as error:
        return {"suggestion_error": str(error)}
    suggested_targets = suggested.targets
    initial = {
        "base_salary": suggested_targets.base_salary,
        "bonus_percent": suggested_targets.bonus_percent,
        "bonus_fixed": suggested_targets.bonus_fixed,
        "sign_on_year1": suggested_targets.sign_on_year1,
        "equity_grant_value": suggested_targets.equity_grant_value,
    }
    adjusting = "base_salary" in request.GET
    form = CounterForm(
        request.GET if adjusting else None,
        initial=initial,
        bonus_as_amount=offer.bonus_type == Offer.BonusType.FIXED,
    )
    counter = suggested
    if adjusting and form.is_valid():
        try:
            counter = adjusted_counter(suggested, terms, form.targets())
        except ValueError as error:
            form.add_error(None, str(error))
    role = offer.job_title or " ".join(str(p) for p in (offer.level, offer.role) if p)
    return {
        "counter": counter,
        "form": form,
        "points": talking_points(offer.company, counter, verdicts, position.base_band),
        "email": email_draft(
            offer.company, role, counter, position.base_band, after_answer=standing is not None
        ),
    }


@login_required
@require_GET
@cached_owner_page
def negotiate(request: HttpRequest, pk: int) -> HttpResponse:
    offer, others = _owned_offers(request, pk)
    try:
        terms = offer_terms(offer)
    except ValueError:
        messages.warning(request, "This offer's terms can't be computed: check its fields.")
        return redirect("offers:edit", pk=offer.pk)
    standing = _standing(offer)
    on_table = offer  # the terms negotiated from: their answer, once they have answered
    if standing is not None:
        on_table, terms = standing.answer_offer, standing.answer_terms
    result = compute_compensation(terms)
    position = market_positions([on_table], [result])[0]
    competitors, skipped = _competitors(offer, others)
    verdicts = [
        market_verdict("Base salary", position.base, position.base_band),
        market_verdict("Average yearly total", position.total, position.total_band),
    ]
    context = {
        "offer": offer,
        "result": result,
        "position": position,
        "verdicts": verdicts,
        "skipped": skipped,
        "standing": standing,
        "awaiting_answer": offer.last_round_by == OfferVersion.Who.CANDIDATE,
        **_counter_context(
            request, on_table, terms, result, position, competitors, verdicts, standing
        ),
    }
    return render_page_or_partial(request, "offers/negotiate.html", "counter", context)


# --- Rounds ----------------------------------------------------------------------------------


class VersionForm(forms.Form):
    """One round: the counter sent, or the company's answer, as the figures that changed."""

    label = forms.CharField(max_length=80, initial="Their answer")
    who = forms.ChoiceField(choices=OfferVersion.Who.choices, initial=OfferVersion.Who.COMPANY)
    base_salary = _money_field("Base salary", MAX_YEARLY_CASH)
    bonus_percent = _bonus_percent_field()
    bonus_fixed = _money_field("Target bonus (yearly)", MAX_YEARLY_CASH, required=False)
    sign_on_year1 = _money_field("Sign-on bonus, year 1", MAX_YEARLY_CASH)
    sign_on_year2 = _money_field("Sign-on bonus, year 2", MAX_YEARLY_CASH, required=False)
    equity_grant_value = _money_field("Equity grant (value)", MAX_GRANT_VALUE)

    def __init__(self, *args, bonus_as_amount: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["bonus_percent" if bonus_as_amount else "bonus_fixed"]

    def apply_to(self, offer: Offer) -> Offer:
        """`offer` (unsaved) with these figures; equity as the engine's targets would set it."""
        data = self.cleaned_data
        offer.base_salary = data["base_salary"]
        if "bonus_fixed" in data:
            offer.bonus_fixed = data["bonus_fixed"]
        elif data.get("bonus_percent") is not None:
            offer.bonus_type = Offer.BonusType.PERCENT
            offer.bonus_percent = data["bonus_percent"]
        offer.sign_on_year1 = data["sign_on_year1"]
        if data.get("sign_on_year2") is not None:
            offer.sign_on_year2 = data["sign_on_year2"]
        value = data["equity_grant_value"]
        if offer.equity_kind == Offer.EquityKind.NONE:
            if value:
                offer.equity_kind = Offer.EquityKind.RSU
                offer.equity_grant_value = value
        elif offer.has_options:
            spread = (offer.share_price or 0) - (offer.strike_price or 0)
            if spread > 0:
                offer.equity_shares = (value / spread).quantize(Decimal("0.0001"))
        else:
            offer.equity_grant_value = value
        return offer


def _version_initial(offer: Offer) -> dict:
    try:
        grant = grant_value(offer_terms(offer).equity)
    except ValueError:
        grant = offer.equity_grant_value or 0
    return {
        "base_salary": offer.base_salary,
        "bonus_percent": offer.bonus_percent,
        "bonus_fixed": offer.bonus_fixed,
        "sign_on_year1": offer.sign_on_year1,
        "sign_on_year2": offer.sign_on_year2,
        "equity_grant_value": grant,
    }


def _result_of(offer: Offer):
    try:
        return compute_compensation(offer_terms(offer))
    except ValueError:
        return None


@transaction.atomic
def _save_round(offer: Offer, label: str, who: str, snapshot: dict) -> OfferVersion:
    # Lock the offer so two rounds saved at once can't take the same number.
    Offer.objects.select_for_update().filter(pk=offer.pk).first()
    last = offer.versions.aggregate(last=Max("number"))["last"] or 0
    if last == 0:
        OfferVersion.objects.create(
            offer=offer,
            number=1,
            label="Original offer",
            who=OfferVersion.Who.COMPANY,
            snapshot=offer_snapshot(offer),
        )
        last = 1
    return OfferVersion.objects.create(
        offer=offer, number=last + 1, label=label, who=who, snapshot=snapshot
    )


@login_required
@require_http_methods(["GET", "POST"])
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.owned_by(request.user).with_market_context(), pk=pk)
    history = list(offer.versions.all())
    latest = history[-1].as_offer() if history else offer
    bonus_as_amount = offer.bonus_type == Offer.BonusType.FIXED
    form = VersionForm(
        request.POST or None, initial=_version_initial(latest), bonus_as_amount=bonus_as_amount
    )
    if request.method == "POST" and form.is_valid():
        proposed = form.apply_to(history[-1].as_offer() if history else _copy(offer))
        try:
            offer_terms(proposed)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            try:
                version = _save_round(
                    offer,
                    form.cleaned_data["label"],
                    form.cleaned_data["who"],
                    offer_snapshot(proposed),
                )
            except IntegrityError:
                form.add_error(None, "Another round was saved at the same time. Try again.")
            else:
                messages.success(request, f"Saved round {version.number}: {version.label}.")
                return redirect("offers:versions", pk=offer.pk)
    labels = {name: str(Offer._meta.get_field(name).verbose_name) for name in VERSIONED_FIELDS}
    labels |= {name: form.fields[name].label for name in form.fields if name in labels}
    rounds = negotiation_rounds(
        [
            (v.number, v.label, v.get_who_display(), v.snapshot, _result_of(v.as_offer()))
            for v in history
        ],
        labels,
    )
    # The newest round whose terms the offer has now (none after an edit to other figures).
    current = next((v.number for v in reversed(history) if v.matches(offer)), None)
    return render(
        request,
        "offers/versions.html",
        {
            "offer": offer,
            "rounds": list(reversed(rounds)),
            "current_round": current,
            # The company spoke last, answering a counter: the next step is the next counter.
            "answered": bool(history)
            and history[-1].who == OfferVersion.Who.COMPANY
            and any(v.who == OfferVersion.Who.CANDIDATE for v in history),
            "form": form,
            "money_fields": MONEY_FIELDS,
        },
    )


@login_required
@require_POST
def apply_round(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Make a round's terms the offer's own: the terms now on the table, which every page shows."""
    offer = get_object_or_404(Offer.objects.owned_by(request.user), pk=pk)
    version = get_object_or_404(offer.versions, number=number)
    changed = version.apply_to(offer)
    try:
        offer_terms(offer)
        offer.full_clean()
    except (ValueError, ValidationError) as error:
        text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, f"Round {version.number} can't be the offer's terms: {text}")
        return redirect("offers:versions", pk=offer.pk)
    offer.save(update_fields=[*changed, "updated_at"])
    messages.success(
        request, f"The offer now has the terms of round {version.number}: {version.label}."
    )
    return redirect(offer)


def _copy(offer: Offer) -> Offer:
    duplicate = copy.copy(offer)
    duplicate.pk = None
    return duplicate
