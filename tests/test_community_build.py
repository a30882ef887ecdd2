"""The rebuild of community bands (benchmarks/community_build.py): hand-computed percentiles for
small cells, the thresholds, the company cap, outliers, ageing, the publication rule, the ladder,
and the SQL held to the pure-Python reference on both databases."""

import datetime
import importlib
from decimal import Decimal as D
from io import StringIO

import factory
import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.community_build import (
    cell_figures,
    cells_of,
    rebuild_community_bands,
    reference_figures,
)
from benchmarks.models import CommunityBand, Contribution
from offers.models import Offer
from tests import factories
from tests.factories import (
    ExchangeRateFactory,
    LevelFactory,
    LocationFactory,
    OfferFactory,
    WageGrowthFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def _seattle():
    return LocationFactory(
        name="Seattle-Tacoma-Bellevue, WA", kind="metro", bls_area_code="42660", state_code="WA"
    )


class ContributionFactory(factories.ContributionFactory):
    """A Senior TPM's offer in Seattle, made this month, base only (so every component is the
    same amount unless a test says otherwise)."""

    location = factory.LazyFunction(_seattle)
    company_key = factory.Sequence(lambda n: f"company-{n}")
    offered_in = TODAY
    base = D("100000")
    target_bonus = D("0")
    yearly_equity = D("0")
    first_year_total = factory.LazyAttribute(lambda o: o.base + o.target_bonus)
    average_yearly_total = factory.LazyAttribute(lambda o: o.base + o.target_bonus)


def contribute(bases, companies=None, **kwargs):
    companies = companies or [f"company-{n}" for n in range(len(bases))]
    return [
        ContributionFactory(base=D(base), company_key=company, **kwargs)
        for base, company in zip(bases, companies, strict=True)
    ]


def base_band(**kwargs) -> CommunityBand:
    return CommunityBand.objects.get(component="base", **kwargs)


def figures(band: CommunityBand) -> list:
    return [band.p10, band.p25, band.p50, band.p75, band.p90]


# Hand-computed cells ---------------------------------------------------------------------------


def test_five_offers_from_five_companies_are_shown_with_hazen_quartiles():
    contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    report = rebuild_community_bands(today=TODAY)
    band = base_band()
    # Equal weights (each company 1/5, under the 1/4 cap): centres 0.1, 0.3, 0.5, 0.7, 0.9.
    # 25th: between 100,000 (0.1) and 110,000 (0.3): 100,000 + 10,000 × 0.15/0.2 = 107,500.
    # 75th: between 130,000 (0.7) and 140,000 (0.9): 130,000 + 10,000 × 0.05/0.2 = 132,500.
    # Fewer than 10: no 10th or 90th.
    assert figures(band) == [None, D(107_500), D(120_000), D(132_500), None]
    assert (band.status, band.contributions, band.companies) == ("shown", 5, 5)
    assert (band.earliest, band.latest, band.as_of, band.currency) == (TODAY, TODAY, TODAY, "USD")
    assert band.members.count() == 5
    # Three components of one cell, each shown.
    assert (report.shown, report.published, report.too_few) == (3, 3, 0)


def test_four_contributions_show_nothing():
    contribute([100_000, 110_000, 120_000, 130_000])
    rebuild_community_bands(today=TODAY)
    band = base_band()
    assert (band.status, band.contributions, band.companies) == ("too_few", 4, 4)
    assert figures(band) == [None] * 5
    assert not band.members.exists()


def test_five_contributions_from_two_companies_show_nothing():
    contribute([100_000, 110_000, 120_000, 130_000, 140_000], ["a", "a", "a", "b", "b"])
    rebuild_community_bands(today=TODAY)
    band = base_band()
    assert (band.status, band.contributions, band.companies) == ("too_few", 5, 2)
    assert band.p50 is None


def test_one_company_with_sixty_percent_of_a_cell_is_capped_at_a_quarter():
    contribute(
        [100_000, 101_000, 102_000, 103_000, 104_000, 105_000, 120_000, 130_000, 140_000, 150_000],
        ["a"] * 6 + ["b", "c", "d", "e"],
    )
    rebuild_community_bands(today=TODAY)
    band = base_band()
    # Five companies: the cap is 1/4. Company a has 6 of 10 (0.6 > 0.25): capped at 0.25, so
    # each of its offers weighs 0.25/6 = 1/24. Then b (1 of the 4 left) would get
    # 1 × 0.75/4 = 0.1875 ≤ 0.25: no more capping; b, c, d, e weigh 0.1875 = 3/16 each.
    # Centres: a's (2i − 1)/48 = 1/48 … 11/48; 120,000 at 0.25 + 3/32 = 0.34375; 130,000 at
    # 0.53125; 140,000 at 0.71875; 150,000 at 0.90625.
    # 10th: between 101,000 (3/48) and 102,000 (5/48): 101,000 + 1,000 × 0.0375/(2/48) = 101,900.
    # 25th: between 105,000 (11/48) and 120,000: 105,000 + 15,000 × (1/48)/(11/96) = 107,727.27.
    # Median: 120,000 + 10,000 × (0.5 − 0.34375)/0.1875 = 128,333.33 (uncapped: 104,500).
    # 75th: 140,000 + 10,000 × (0.75 − 0.71875)/0.1875 = 141,666.67.
    # 90th: 140,000 + 10,000 × (0.9 − 0.71875)/0.1875 = 149,666.67.
    assert figures(band) == [D(101_900), D(107_727), D(128_333), D(141_667), D(149_667)]
    assert (band.contributions, band.companies) == (10, 5)


def test_with_three_companies_each_weighs_a_third():
    contribute([100_000] * 3 + [130_000, 160_000], ["a", "a", "a", "b", "c"])
    rebuild_community_bands(today=TODAY)
    # a's three offers weigh 1/9 each, b's and c's 1/3. Centres: 1/18, 3/18, 5/18 (100,000),
    # 130,000 at 1/3 + 1/6 = 0.5, 160,000 at 5/6. Median 130,000; 25th between 100,000 (5/18)
    # and 130,000 (0.5) is 100,000; 75th: 130,000 + 30,000 × 0.25/(1/3) = 152,500.
    assert figures(base_band()) == [None, D(100_000), D(130_000), D(152_500), None]


def test_an_outlier_is_left_out_and_counted():
    contribute([100_000, 110_000, 120_000, 130_000, 140_000, 1_000_000])
    rebuild_community_bands(today=TODAY)
    band = base_band()
    # Equal-weight quartiles of six: centres 1/12, 3/12 … 11/12, so Q1 = 110,000 (at 0.25) and
    # Q3 = 140,000 (at 0.75); IQR 30,000; above 140,000 + 3 × 30,000 = 230,000 is an outlier.
    # The five left are the first test's cell.
    assert figures(band) == [None, D(107_500), D(120_000), D(132_500), None]
    assert (band.contributions, band.outliers_left_out) == (5, 1)
    # The outlier is a member too: it was considered, so it is not new at the next rebuild.
    assert band.members.count() == 6


def test_tenth_and_ninetieth_only_from_ten_contributions():
    contribute([100_000 + 10_000 * n for n in range(9)])
    rebuild_community_bands(today=TODAY)
    band = base_band()
    assert band.p10 is None and band.p90 is None
    contribute([190_000], ["company-9"])
    CommunityBand.objects.all().delete()
    rebuild_community_bands(today=TODAY)
    # Ten from ten companies, 100,000 … 190,000: centres 0.05 … 0.95. 10th halfway between
    # 100,000 and 110,000; 25th at 120,000 (centre 0.25), 75th at 170,000 (0.75); median
    # halfway between 140,000 and 150,000.
    assert figures(base_band()) == [D(105_000), D(120_000), D(145_000), D(170_000), D(185_000)]


def test_each_component_is_its_own_percentiles():
    for base, bonus, average in [
        (100_000, 10_000, 150_000),
        (110_000, 0, 210_000),
        (120_000, 20_000, 130_000),
        (130_000, 5_000, 170_000),
        (140_000, 0, 190_000),
    ]:
        ContributionFactory(base=D(base), target_bonus=D(bonus), average_yearly_total=D(average))
    rebuild_community_bands(today=TODAY)
    # Total cash: 110,000, 110,000, 135,000, 140,000, 140,000 → median 135,000,
    # 25th 110,000, 75th 140,000. Total compensation: 130,000, 150,000, 170,000, 190,000,
    # 210,000 → 25th 130,000 + 20,000 × 0.75 = 145,000, median 170,000, 75th 195,000.
    cash = CommunityBand.objects.get(component="total_cash")
    total = CommunityBand.objects.get(component="total_comp")
    assert figures(cash) == [None, D(110_000), D(135_000), D(140_000), None]
    assert figures(total) == [None, D(145_000), D(170_000), D(195_000), None]


def test_offers_are_aged_to_today_at_the_official_wage_growth_rate():
    WageGrowthFactory(yearly_rate=D("0.0360"), effective_date=datetime.date(2024, 1, 1))
    a_year_ago = datetime.date(2025, 12, 1)
    contribute([100_000, 110_000, 120_000, 130_000, 140_000], offered_in=a_year_ago)
    # Made 24 months ago: outside the window (this month and the 23 before it).
    contribute([500_000], ["late"], offered_in=datetime.date(2024, 12, 1))
    rebuild_community_bands(today=TODAY)
    band = base_band()
    # Twelve months at 3.6% a year: × 1.036. 107,500 × 1.036 = 111,370; 120,000 × 1.036 =
    # 124,320; 132,500 × 1.036 = 137,270.
    assert figures(band) == [None, D(111_370), D(124_320), D(137_270), None]
    assert (band.contributions, band.earliest, band.latest) == (5, a_year_ago, a_year_ago)


def test_a_contribution_in_another_currency_is_converted_to_the_cells():
    ExchangeRateFactory(
        currency="GBP", units_per_usd=D("0.800000"), date=datetime.date(2026, 11, 1)
    )
    contribute([100_000, 110_000, 120_000, 130_000])
    # £112,000 at 0.8 per dollar: $140,000.
    contribute([112_000], ["pounds"], currency="GBP")
    rebuild_community_bands(today=TODAY)
    assert figures(base_band()) == [None, D(107_500), D(120_000), D(132_500), None]


def test_a_contribution_in_a_currency_without_a_rate_is_left_out_and_counted():
    contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    contribute([90_000], ["euros"], currency="EUR")
    report = rebuild_community_bands(today=TODAY)
    assert base_band().contributions == 5
    assert report.left_out_no_rate == 1


def test_excluded_and_demo_contributions_are_left_out(settings):
    contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    ContributionFactory(
        base=D(900_000),
        excluded_reason="Not a real offer",
        excluded_at=datetime.datetime.now(datetime.UTC),
    )
    ContributionFactory(base=D(50_000), is_demo=True)
    rebuild_community_bands(today=TODAY)
    band = base_band()
    assert (band.contributions, band.p50, band.is_demo) == (5, D(120_000), False)
    settings.COMMUNITY_DEMO_DATA = True
    CommunityBand.objects.all().delete()
    rebuild_community_bands(today=TODAY)
    assert (base_band().contributions, base_band().is_demo) == (6, True)


def test_a_level_less_cell_is_its_own():
    contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    contribute([50_000] * 5, level=None)
    rebuild_community_bands(today=TODAY)
    assert base_band(level__isnull=True).p50 is not None
    assert base_band(level__isnull=True).p50 == D(50_000)
    assert base_band(level__isnull=False).p50 == D(120_000)


def test_cells_of_a_contribution_are_its_place_state_and_country():
    nation = LocationFactory()
    washington = LocationFactory(name="Washington", kind="state", state_code="WA")
    contribution = ContributionFactory(state=washington, nation=nation)
    role, level = contribution.role_id, contribution.level_id
    assert cells_of(contribution) == [
        (role, level, contribution.location_id),
        (role, level, washington.pk),
        (role, level, nation.pk),
    ]
    rebuild_community_bands(today=TODAY)
    assert set(CommunityBand.objects.values_list("location", flat=True)) == {
        contribution.location_id,
        washington.pk,
        nation.pk,
    }


# The publication rule --------------------------------------------------------------------------


def test_one_added_contribution_does_not_move_a_shown_band():
    contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    rebuild_community_bands(today=TODAY)
    added = contribute([200_000], ["newcomer"])[0]
    report = rebuild_community_bands(cells=cells_of(added), today=TODAY)
    band = base_band()
    assert figures(band) == [None, D(107_500), D(120_000), D(132_500), None]
    assert (band.contributions, report.kept, report.published) == (5, 3, 0)


def test_five_new_contributions_from_three_companies_republish_the_band():
    contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    rebuild_community_bands(today=TODAY)
    contribute([150_000, 160_000, 170_000, 180_000], ["x", "x", "y", "y"])
    rebuild_community_bands(today=TODAY)
    assert base_band().contributions == 5  # four new from two companies: not yet
    contribute([190_000], ["z"])
    rebuild_community_bands(today=TODAY)
    # All ten, 100,000 … 190,000 (x and y have 2 of 10 each, under the cap): as in the
    # ten-contribution test above.
    band = base_band()
    assert figures(band) == [D(105_000), D(120_000), D(145_000), D(170_000), D(185_000)]
    assert (band.contributions, band.companies, band.members.count()) == (10, 8, 10)


def test_a_withdrawal_is_out_of_the_next_band():
    first, *rest = contribute([100_000, 110_000, 120_000, 130_000, 140_000, 150_000])
    rebuild_community_bands(today=TODAY)
    assert base_band().contributions == 6
    first.delete()  # withdrawn: its member rows go with it
    report = rebuild_community_bands(cells=cells_of(rest[0]), today=TODAY)
    band = base_band()
    # Nothing about the withdrawn offer can be read: the cell shows no figures.
    assert (band.status, band.contributions, band.p50) == ("refreshing", 5, None)
    assert first.pk not in set(band.members.values_list("contribution", flat=True))
    assert report.refreshing == 3
    # Published again from the five left, the figures before and after would differ by the
    # withdrawn offer alone (6 offers: median 125,000; 5: 130,000, so it was 100,000): the cell
    # waits for as many new offers as a shown cell does to move.
    rebuild_community_bands(today=TODAY)
    assert (base_band().status, base_band().p50) == ("refreshing", None)
    contribute([160_000, 170_000, 180_000, 190_000], ["a", "a", "b", "b"])
    rebuild_community_bands(today=TODAY)
    assert base_band().status == "refreshing"  # four new from two companies: not yet
    contribute([200_000], ["c"])
    rebuild_community_bands(today=TODAY)
    # Ten left, 110,000 … 200,000 (a and b 2 of 10 each, under the cap), centres 0.05 … 0.95:
    # 10th halfway 110,000–120,000; 25th on 130,000; median halfway 150,000–160,000; 75th on
    # 180,000; 90th halfway 190,000–200,000.
    band = base_band()
    assert figures(band) == [D(115_000), D(130_000), D(155_000), D(180_000), D(195_000)]
    assert first.pk not in set(band.members.values_list("contribution", flat=True))


def test_a_withdrawal_below_the_threshold_leaves_too_few():
    first, *_ = contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    rebuild_community_bands(today=TODAY)
    first.delete()
    rebuild_community_bands(today=TODAY)
    band = base_band()
    assert (band.status, band.contributions, band.p50) == ("too_few", 4, None)


def test_one_offer_added_after_a_withdrawal_does_not_publish_the_cell_again():
    # Published from 5, one withdrawn, one added: 5 again from 5 companies. Shown now, its
    # figures would differ from the first ones by the withdrawn offer and the added one, and
    # whoever added that one knows it.
    first, *_ = contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    rebuild_community_bands(today=TODAY)
    first.delete()
    rebuild_community_bands(today=TODAY)
    contribute([150_000], ["newcomer"])
    rebuild_community_bands(today=TODAY)
    band = base_band()
    assert (band.status, band.contributions, band.p50) == ("refreshing", 5, None)


def test_an_exclusion_hides_the_band_until_it_is_rebuilt():
    first, *_ = contribute([100_000, 110_000, 120_000, 130_000, 140_000, 150_000])
    rebuild_community_bands(today=TODAY)
    Contribution.objects.filter(pk=first.pk).update(
        excluded_reason="Implausible", excluded_at=datetime.datetime.now(datetime.UTC)
    )
    rebuild_community_bands(today=TODAY)
    assert base_band().status == "refreshing"


def test_a_cell_with_no_contribution_left_is_deleted():
    only = ContributionFactory()
    rebuild_community_bands(today=TODAY)
    assert CommunityBand.objects.count() == 3
    only.delete()
    report = rebuild_community_bands(
        cells=[(only.role_id, only.level_id, only.location_id)], today=TODAY
    )
    assert not CommunityBand.objects.exists()
    assert report.removed == 3


def test_a_rebuild_with_nothing_new_writes_nothing():
    contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    contribute([100_000], ["lonely"], level=LevelFactory(name="Entry", rank=10))
    rebuild_community_bands(today=TODAY)
    before = {b.pk: b.built_at for b in CommunityBand.objects.all()}
    report = rebuild_community_bands(today=TODAY)
    assert {b.pk: b.built_at for b in CommunityBand.objects.all()} == before
    assert (report.kept, report.published, report.too_few) == (3, 0, 3)


# The ladder ------------------------------------------------------------------------------------


def test_thin_data_that_breaks_the_ladder_is_smoothed_and_says_so():
    mid = LevelFactory(name="Mid", rank=20)
    contribute([130_000, 140_000, 150_000, 160_000, 170_000], level=mid)
    contribute([95_000 + 10_000 * n for n in range(10)], [f"s{n}" for n in range(10)])
    rebuild_community_bands(today=TODAY)
    mid_band = base_band(level=mid)
    senior_band = base_band(level__rank=30)
    # Medians: Mid 150,000 (5 offers) above Senior 140,000 (10 offers, halfway between 135,000
    # and 145,000). Pooled, weighted by offers: (5 × 150,000 + 10 × 140,000) / 15 = 143,333.33;
    # Senior then at least 1.05 × Mid: 150,500. Mid scaled by 143,333.33/150,000: 25th
    # 137,500 → 131,388.89, 75th 162,500 → 155,277.78. Senior by 150,500/140,000 = 1.075:
    # 100,000 → 107,500; 115,000 → 123,625; 165,000 → 177,375; 180,000 → 193,500.
    assert figures(mid_band) == [None, D(131_389), D(143_333), D(155_278), None]
    assert figures(senior_band) == [D(107_500), D(123_625), D(150_500), D(177_375), D(193_500)]
    # Said to the nearest 1,000, as the bands' figures are shown under 30 offers.
    assert mid_band.smoothing == (
        "Median lowered from $150,000 to $143,000 to stay below Senior's; thin data (5 offers)"
    )
    assert senior_band.smoothing == (
        "Median raised from $140,000 to $151,000 to stay above Mid's; thin data (10 offers)"
    )


def test_a_rising_ladder_is_left_as_it_is():
    mid = LevelFactory(name="Mid", rank=20)
    contribute([80_000, 90_000, 100_000, 110_000, 120_000], level=mid)
    contribute([100_000, 110_000, 120_000, 130_000, 140_000], [f"s{n}" for n in range(5)])
    rebuild_community_bands(today=TODAY)
    assert base_band(level=mid).p50 == D(100_000)
    assert base_band(level__rank=30).p50 == D(120_000)
    assert not CommunityBand.objects.exclude(smoothing="").exists()


# Incremental == full ---------------------------------------------------------------------------


def _snapshot(cells) -> dict:
    rows = {}
    for band in CommunityBand.objects.all():
        cell = (band.role_id, band.level_id, band.location_id)
        if cell in cells:
            members = sorted(band.members.values_list("contribution", "revision"))
            rows[(*cell, band.component)] = (
                band.status,
                figures(band),
                band.contributions,
                band.companies,
                band.outliers_left_out,
                band.smoothing,
                members,
            )
    return rows


def test_an_incremental_rebuild_gives_what_a_full_one_gives():
    nation = LocationFactory()
    mid = LevelFactory(name="Mid", rank=20)
    contribute([150_000, 160_000, 170_000, 180_000, 190_000], level=mid, nation=nation)
    contribute(
        [100_000, 110_000, 120_000, 130_000, 140_000], ["s1", "s2", "s3", "s4", "s5"], nation=nation
    )
    rebuild_community_bands(today=TODAY)
    added = contribute(
        [125_000, 135_000, 145_000, 155_000, 165_000],
        ["n1", "n1", "n2", "n3", "n3"],
        nation=nation,
    )
    cells = set(cells_of(added[0]))
    with transaction.atomic():
        rebuild_community_bands(cells=cells, today=TODAY)
        incremental = _snapshot(cells)
        transaction.set_rollback(True)
    rebuild_community_bands(today=TODAY)
    full = _snapshot(cells)
    assert incremental == full
    # And it moved: Senior republished from ten offers, then lifted above Mid.
    assert full[(*sorted(cells)[0], "base")][2] == 10


# The command -----------------------------------------------------------------------------------


def test_the_command_rebuilds_and_sweeps_contributions_no_offer_points_at():
    kept = contribute([100_000, 110_000, 120_000, 130_000, 140_000])
    for contribution in kept:
        # Linked without the offer's save, which would rewrite the contribution from the offer.
        Offer.objects.filter(pk=OfferFactory().pk).update(contribution=contribution)
    ContributionFactory(base=D(900_000))  # its offer gone without withdrawing it
    out = StringIO()
    call_command("rebuild_community_bands", stdout=out)
    text = out.getvalue()
    assert "1 contribution no offer points at removed" in text
    assert "3 shown, 0 too few, 0 refreshing" in text
    assert Contribution.objects.count() == 5
    assert base_band().p50 == D(120_000)


def test_the_command_keeps_the_demo_datas_contributions_which_no_offer_ever_pointed_at():
    ContributionFactory(is_demo=True)
    out = StringIO()
    call_command("rebuild_community_bands", stdout=out)
    assert "0 contributions no offer points at removed" in out.getvalue()
    assert Contribution.objects.filter(is_demo=True).count() == 1


# The SQL against the reference -----------------------------------------------------------------

amounts = st.one_of(
    st.integers(50_000_00, 300_000_00).map(lambda cents: D(cents) / 100),
    st.sampled_from([D(1_000), D(2_000_000)]),  # outliers now and then
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cell=st.lists(st.tuples(st.integers(0, 5), amounts), min_size=1, max_size=14),
    months_ago=st.integers(0, 23),
)
def test_the_sql_agrees_with_the_reference(cell, months_ago):
    offered_in = datetime.date(TODAY.year - (months_ago > 11), (12 - months_ago - 1) % 12 + 1, 1)
    factor = D("1.036") ** (D(months_ago) / 12)
    with transaction.atomic():
        WageGrowthFactory(yearly_rate=D("0.0360"), effective_date=datetime.date(2024, 1, 1))
        made = [
            ContributionFactory(base=amount, company_key=f"c{company}", offered_in=offered_in)
            for company, amount in cell
        ]
        found = cell_figures(today=TODAY)
        transaction.set_rollback(True)
    key = (made[0].role_id, made[0].level_id, made[0].location_id, "base")
    expected = reference_figures(
        [(c.pk, c.company_key, c.base * factor.quantize(D("0.000000000001"))) for c in made]
    )
    got = found[key]
    assert_as_the_reference_says(got, expected)


# One person counts once in a cell ---------------------------------------------------------------

LAST_MONTH = datetime.date(2026, 11, 1)


def test_one_persons_five_offers_from_five_companies_publish_no_band():
    contribute([100_000, 110_000, 120_000, 130_000, 140_000], contributor_key="ada")
    report = rebuild_community_bands(today=TODAY)
    band = base_band()
    # One person, so one offer (the newest: the highest id, all made this month) and one company.
    assert (band.status, band.contributions, band.companies) == ("too_few", 1, 1)
    assert figures(band) == [None] * 5
    assert not band.members.exists()
    assert (report.shown, report.too_few, report.contributions) == (0, 3, 1)


def test_five_people_with_the_same_five_offers_publish_it():
    for n, person in enumerate(["ada", "ben", "cai", "dev", "eve"]):
        ContributionFactory(base=D(100_000 + 10_000 * n), contributor_key=person)
    rebuild_community_bands(today=TODAY)
    band = base_band()
    assert (band.status, band.contributions, band.companies) == ("shown", 5, 5)
    assert figures(band) == [None, D(107_500), D(120_000), D(132_500), None]


def _ada_twice_and_four_others():
    """Ada's older offer (last month, 100,000) and her newer one (this month, 150,000), from two
    companies, and four other people's: 110,000 · 120,000 · 130,000 · 140,000."""
    older = ContributionFactory(
        base=D(100_000), company_key="a-old", contributor_key="ada", offered_in=LAST_MONTH
    )
    newer = ContributionFactory(base=D(150_000), company_key="a-new", contributor_key="ada")
    others = contribute([110_000, 120_000, 130_000, 140_000])
    return older, newer, others


def test_a_persons_two_offers_in_a_cell_count_once_the_newer_one():
    _older, newer, others = _ada_twice_and_four_others()
    rebuild_community_bands(today=TODAY)
    band = base_band()
    # No wage growth on file: no ageing. Counted: 110,000 · 120,000 · 130,000 · 140,000 and
    # Ada's newer 150,000, equal weights (five companies), Hazen centres 0.1 … 0.9:
    #   25th: 110,000 + 10,000 × (0.25 − 0.1) / 0.2 = 117,500
    #   median: the third, 130,000 (with Ada's older 100,000 instead it would be 120,000)
    #   75th: 140,000 + 10,000 × (0.75 − 0.7) / 0.2 = 142,500
    assert figures(band) == [None, D(117_500), D(130_000), D(142_500), None]
    assert (band.status, band.contributions, band.companies) == ("shown", 5, 5)
    # The newer offer's month, not the older one's, is the band's earliest.
    assert (band.earliest, band.latest) == (TODAY, TODAY)
    members = set(band.members.values_list("contribution", flat=True))
    assert members == {newer.pk, *(o.pk for o in others)}


def test_in_one_month_a_persons_later_contribution_is_the_one_counted():
    # Both this month: the one added later (the higher id) counts, 150,000.
    ContributionFactory(base=D(100_000), contributor_key="ada")
    ContributionFactory(base=D(150_000), contributor_key="ada")
    contribute([110_000, 120_000, 130_000, 140_000])
    rebuild_community_bands(today=TODAY)
    assert figures(base_band()) == [None, D(117_500), D(130_000), D(142_500), None]


def test_a_persons_older_offer_still_counts_in_another_cell():
    staff = LevelFactory(name="Staff", slug="staff", rank=35)
    older = ContributionFactory(base=D(100_000), contributor_key="ada", offered_in=LAST_MONTH)
    ContributionFactory(base=D(150_000), contributor_key="ada", level=staff)
    contribute([110_000, 120_000, 130_000, 140_000])
    rebuild_community_bands(today=TODAY)
    # In its own level's cell Ada's older offer is her newest: five people, 100,000 … 140,000.
    band = base_band(level=older.level)
    assert figures(band) == [None, D(107_500), D(120_000), D(132_500), None]
    assert band.contributions == 5
    assert base_band(level=staff).contributions == 1


def test_a_persons_newer_offer_in_a_shown_cell_takes_the_older_ones_place():
    ada, *_others = (
        ContributionFactory(
            base=D(100_000 + 10_000 * n), contributor_key=person, offered_in=LAST_MONTH
        )
        for n, person in enumerate(["ada", "ben", "cai", "dev", "eve"])
    )
    rebuild_community_bands(today=TODAY)
    newer = ContributionFactory(base=D(150_000), contributor_key="ada")
    rebuild_community_bands(cells=cells_of(newer), today=TODAY)
    band = base_band()
    # Ada's older offer, published, no longer counts: as after a withdrawal the cell shows no
    # figures until five new offers come in, so neither of hers can be read from a change.
    assert (band.status, band.contributions, band.p50) == ("refreshing", 5, None)
    assert ada.pk not in set(band.members.values_list("contribution", flat=True))


def test_a_person_counts_once_in_the_sql_and_in_the_reference():
    older, newer, others = _ada_twice_and_four_others()
    found = cell_figures(today=TODAY)[(older.role_id, older.level_id, older.location_id, "base")]
    expected = reference_figures(
        [
            (c.pk, c.company_key, c.base, c.contributor_key, c.offered_in)
            for c in [older, newer, *others]
        ]
    )
    assert (found.contributions, found.companies, found.outliers_left_out) == (5, 5, 0)
    assert (expected.contributions, expected.companies, expected.outliers_left_out) == (5, 5, 0)
    assert expected.percentiles[50] == D(130_000)
    for point, value in expected.percentiles.items():
        assert abs(found.percentiles[point] - value) <= D("0.01"), point


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cell=st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 5), amounts, st.integers(0, 2)),
        min_size=1,
        max_size=14,
    )
)
def test_the_sql_agrees_with_the_reference_where_people_have_several_offers(cell):
    with transaction.atomic():
        made = [
            ContributionFactory(
                base=amount,
                company_key=f"c{company}",
                contributor_key=f"p{person}",
                offered_in=datetime.date(2026, 12 - months_ago, 1),
            )
            for person, company, amount, months_ago in cell
        ]
        found = cell_figures(today=TODAY)
        transaction.set_rollback(True)
    key = (made[0].role_id, made[0].level_id, made[0].location_id, "base")
    # No wage growth on file: no ageing.
    expected = reference_figures(
        [(c.pk, c.company_key, c.base, c.contributor_key, c.offered_in) for c in made]
    )
    got = found[key]
    assert got.contributions + got.outliers_left_out == len({person for person, *_ in cell})
    assert_as_the_reference_says(got, expected)


# The migration that added contributor keys -------------------------------------------------------


def test_the_migration_keys_each_contribution_by_its_offers_owner():
    from django.apps import apps
    from django.db import connection

    from offers.contributions import contributor_key, own_contributor_key

    migration = importlib.import_module("benchmarks.migrations.0007_contribution_contributor_key")
    owner, other = factories.UserFactory(), factories.UserFactory()
    first, second, others, orphan = (
        ContributionFactory(contributor_key="before") for _ in range(4)
    )
    for offer_owner, contribution in [(owner, first), (owner, second), (other, others)]:
        Offer.objects.filter(pk=OfferFactory(owner=offer_owner).pk).update(
            contribution=contribution
        )
    migration.fill_contributor_keys(apps, connection.schema_editor())
    keys = dict(Contribution.objects.values_list("pk", "contributor_key"))
    # One person's two offers share a key; the key is the site's keyed hash, not the id.
    assert keys[first.pk] == keys[second.pk] == contributor_key(owner.pk)
    assert keys[others.pk] == contributor_key(other.pk) != keys[first.pk]
    assert len(keys[first.pk]) == 64 and str(owner.pk) != keys[first.pk]
    # A contribution no offer points at stands for a person of its own.
    assert keys[orphan.pk] == own_contributor_key(f"contribution:{orphan.pk}")
    assert len(set(keys.values())) == 3


def test_a_contribution_without_a_contributor_key_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionFactory(contributor_key="")


def assert_as_the_reference_says(got, expected) -> None:
    """The SQL's figures for a cell are the plain-Python reference's: the same counts, and each
    percentile within a cent."""
    assert (got.contributions, got.companies, got.outliers_left_out) == (
        expected.contributions,
        expected.companies,
        expected.outliers_left_out,
    )
    for point, value in expected.percentiles.items():
        assert abs(got.percentiles[point] - value) <= D("0.01"), point
