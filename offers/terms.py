"""Turn a saved (or unsaved) Offer into the engine's terms: the only bridge between the two."""

from datetime import date
from decimal import Decimal, InvalidOperation

from offers.compensation import (
    ESPP_YEARLY_LIMIT_USD,
    VESTING_PRESETS,
    ClawbackRepayment,
    EquityGrant,
    EquityKind,
    EsppPlan,
    OfferTerms,
    Perk,
    VestingFrequency,
    VestingSchedule,
    custom_schedule,
)
from offers.models import CUSTOM_SCHEDULE, MAX_PERKS, MAX_VESTING_YEARS, Offer
from offers.negotiation import NEW_GRANT_SCHEDULE, CounterTargets, apply_targets

ZERO = Decimal("0")


def parse_percentages(text: str) -> tuple[Decimal, ...]:
    """'25, 25, 25, 25' or '5/15/40/40' → Decimals; ValueError with a readable message."""
    parts = [p for p in text.replace("/", ",").replace(";", ",").replace(" ", ",").split(",") if p]
    if not parts:
        raise ValueError("Enter one percentage per year, e.g. 25, 25, 25, 25.")
    if len(parts) > MAX_VESTING_YEARS:
        raise ValueError(f"A schedule can have at most {MAX_VESTING_YEARS} years.")
    try:
        values = tuple(Decimal(p.rstrip("%")) for p in parts)
    except InvalidOperation:
        raise ValueError("Use numbers separated by commas, e.g. 25, 25, 25, 25.") from None
    # NaN, infinities and huge exponents are numbers to Decimal, not percentages of a grant.
    if not all(value.is_finite() and 0 <= value <= 100 for value in values):
        raise ValueError("Each year's percentage must be a number between 0 and 100.")
    return values


def months_between(start: date, later: date) -> int:
    """Whole months from `start` to `later` (0 when `later` is not after `start`)."""
    months = (later.year - start.year) * 12 + later.month - start.month
    if later.day < start.day:
        months -= 1
    return max(0, months)


def vesting_schedule_of(offer: Offer) -> VestingSchedule:
    if offer.vesting_schedule == CUSTOM_SCHEDULE:
        return custom_schedule(
            parse_percentages(offer.custom_vesting_percentages),
            cliff_months=12 if offer.custom_vesting_cliff else 0,
            frequency=VestingFrequency.QUARTERLY,
        )
    return VESTING_PRESETS[offer.vesting_schedule]


def has_risk_adjustment(offer: Offer) -> bool:
    """Whether the offer's equity has a risk-adjusted value apart from its paper value: private
    (illiquid) equity with a discount above 0."""
    return offer.equity_is_illiquid and (offer.illiquidity_discount_percent or ZERO) > ZERO


def equity_grant_of(offer: Offer, *, risk_adjusted: bool = False) -> EquityGrant | None:
    if offer.equity_kind == Offer.EquityKind.NONE:
        return None
    vesting_start_months = 0
    if offer.start_date and offer.vesting_start_date:
        vesting_start_months = months_between(offer.start_date, offer.vesting_start_date)
    kind = EquityKind(offer.equity_kind)
    option_terms = {}
    if kind.is_option:
        option_terms = {
            "exercise_window_days": offer.exercise_window_days,
            "early_exercise": offer.early_exercise,
            "election_83b": offer.election_83b,
        }
    return EquityGrant(
        kind=kind,
        schedule=vesting_schedule_of(offer),
        vesting_start_months=vesting_start_months,
        total_value=None if kind.is_option else offer.equity_grant_value,
        shares=offer.equity_shares,
        share_price=offer.share_price,
        strike_price=offer.strike_price or ZERO,
        yearly_price_change_percent=offer.share_price_change_percent or ZERO,
        yearly_refresher_value=offer.refresher_value or ZERO,
        illiquid=offer.is_private_company,
        value_discount_percent=(
            offer.illiquidity_discount_percent
            if risk_adjusted and has_risk_adjustment(offer)
            else ZERO
        ),
        **option_terms,
    )


def espp_plan_of(offer: Offer) -> EsppPlan | None:
    """The offer's ESPP, when it says what share of base goes into one; priced with the offer's
    assumed share price and its yearly change, when given."""
    contribution = offer.espp_contribution_percent or ZERO
    if contribution <= ZERO:
        return None
    return EsppPlan(
        contribution_percent=contribution,
        discount_percent=offer.espp_discount_percent or ZERO,
        lookback=offer.espp_lookback,
        offering_months=offer.espp_offering_months,
        share_price=offer.share_price,
        yearly_price_change_percent=offer.share_price_change_percent or ZERO,
        # The limit is a U.S. plan's, in dollars; a plan paid in another currency follows its
        # own country's rules, so none is assumed.
        yearly_limit=ESPP_YEARLY_LIMIT_USD if offer.currency == "USD" else None,
    )


def perks_of(offer: Offer) -> tuple[Perk, ...]:
    named = [
        ("Learning budget", offer.learning_budget),
        ("Wellness", offer.wellness_budget),
        ("Home office", offer.home_office_budget),
    ]
    # Bounded even for a row written around the form (the database refuses more than this too).
    named += [(p["name"], Decimal(str(p["amount"]))) for p in (offer.other_perks or [])[:MAX_PERKS]]
    return tuple(Perk(name, amount) for name, amount in named if amount)


def offer_terms(offer: Offer, *, risk_adjusted: bool = False) -> OfferTerms:
    """The engine's view of an offer. Raises ValueError for terms the engine refuses.

    Paper value by default. `risk_adjusted` marks private equity down by the offer's illiquidity
    discount in every vest (initial grant and refreshers), so every figure the engine gives from
    these terms is the risk-adjusted one; public or undiscounted equity is unchanged."""
    return OfferTerms(
        currency=offer.currency,
        base_salary=offer.base_salary,
        yearly_raise_percent=offer.yearly_raise_percent or ZERO,
        bonus_percent=offer.bonus_percent if offer.bonus_type == Offer.BonusType.PERCENT else None,
        bonus_fixed=offer.bonus_fixed if offer.bonus_type == Offer.BonusType.FIXED else None,
        sign_on_year1=offer.sign_on_year1 or ZERO,
        sign_on_year2=offer.sign_on_year2 or ZERO,
        clawback_months=offer.clawback_months or 0,
        clawback_repayment=ClawbackRepayment(offer.sign_on_clawback or ClawbackRepayment.FULL),
        relocation=offer.relocation or ZERO,
        equity=equity_grant_of(offer, risk_adjusted=risk_adjusted),
        retirement_match_share_percent=offer.retirement_match_percent or ZERO,
        retirement_match_rate_percent=offer.retirement_match_rate_percent or ZERO,
        retirement_match_cap=offer.retirement_match_cap,
        health_contribution=offer.health_contribution or ZERO,
        perks=perks_of(offer),
        espp=espp_plan_of(offer),
    )


SHARES = Decimal("0.0001")  # the offer keeps a number of shares to four decimals


def offer_with_targets(offer: Offer, targets: CounterTargets) -> Offer:
    """`offer` (unsaved) with a counter's targets, set as the engine's `apply_targets` sets them
    on its terms: the one rule for putting targets on an offer, shown on Negotiate and saved as a
    round. ValueError when the offer's terms can't be computed."""
    terms = apply_targets(offer_terms(offer), targets)
    offer.base_salary = terms.base_salary
    offer.sign_on_year1 = terms.sign_on_year1
    offer.bonus_percent, offer.bonus_fixed = terms.bonus_percent, terms.bonus_fixed
    if terms.bonus_percent is not None:
        offer.bonus_type = Offer.BonusType.PERCENT
    elif terms.bonus_fixed is not None:
        offer.bonus_type = Offer.BonusType.FIXED
    else:
        offer.bonus_type = Offer.BonusType.NONE
    equity = terms.equity
    if equity is None or not equity.has_equity:
        return offer
    if offer.equity_kind == Offer.EquityKind.NONE:  # a new grant, as the engine sets one up
        offer.equity_kind = equity.kind
        offer.vesting_schedule = NEW_GRANT_SCHEDULE
        offer.equity_grant_value = equity.total_value
    elif equity.kind.is_option:
        offer.equity_shares = equity.shares.quantize(SHARES) if equity.shares is not None else None
    else:
        offer.equity_grant_value = equity.total_value
    return offer
