"""Resolved bands and market rows are kept in the shared cache under keys carrying the market-data
version, the stamp that database triggers change on every write to market data. These tests
prove the cache never shows old market data: whatever way the data changes, the next lookup sees
it."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from benchmarks.forms import ExplorerForm, MarketChoiceField, use_market_rows
from benchmarks.lookup import RESOLVED_BANDS, BandQuery, _cache_key, band_for
from benchmarks.market_cache import MarketCache, market_version, reading_market_data
from benchmarks.models import Band, Level, MarketDataStamp, Role
from core.stamps import UNSTAMPED_MARKET_TABLES
from offers.models import Offer
from tests.factories import LevelFactory, OfferFactory, RoleFactory, seattle_senior_tpm_market

pytestmark = pytest.mark.django_db


def stamp() -> int:
    return MarketDataStamp.objects.current()


def market_tables() -> set[str]:
    models = apps.get_app_config("benchmarks").get_models()
    return {
        m._meta.db_table
        for m in models
        if m is not MarketDataStamp and not m.__name__.startswith("Historical")
    } - set(UNSTAMPED_MARKET_TABLES)


def tables_with_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT event_object_table FROM information_schema.triggers")
        return {row[0] for row in cursor.fetchall()}


def test_every_market_data_table_changes_the_stamp():
    # A new market-data model needs a migration adding its table to the triggers.
    assert market_tables() - tables_with_triggers() == set()
    assert len(market_tables()) == 14


@pytest.fixture
def seattle_query():
    market = seattle_senior_tpm_market()
    return BandQuery(role=market["role"], level=market["level"], location=market["seattle"])


def test_a_band_changed_by_a_bulk_update_is_seen_at_once(seattle_query):
    # Seattle: the guide's median 155,000 × the location factor 1.2.
    assert band_for(seattle_query).percentiles[50] == Decimal("186000")
    Band.objects.update(p50=Decimal("160000"))  # no save(), no signal: as an import does
    assert band_for(seattle_query).percentiles[50] == Decimal("192000")  # 160,000 × 1.2


def test_a_deleted_band_is_gone_at_once(seattle_query):
    assert band_for(seattle_query) is not None
    Band.objects.all().delete()
    assert band_for(seattle_query) is None


def test_a_renamed_role_is_seen_at_once(seattle_query):
    assert band_for(seattle_query).label.startswith("Technical Product Manager · Senior")
    Role.objects.filter(pk=seattle_query.role.pk).update(name="Program Manager")
    seattle_query.role.refresh_from_db()
    assert band_for(seattle_query).label.startswith("Program Manager · Senior")


def test_raw_sql_changes_the_stamp(seattle_query):
    before = stamp()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE benchmarks_factor SET value = 1.5")
    assert stamp() != before
    assert band_for(seattle_query).percentiles[50] == Decimal("232500")  # 155,000 × 1.5


def test_every_kind_of_write_changes_the_stamp():
    seen = {stamp()}
    level = LevelFactory(name="Staff", rank=40)  # insert
    seen.add(stamp())
    level.description = "Leads across teams"
    level.save()  # update
    seen.add(stamp())
    Level.objects.bulk_create([Level(name="Principal", slug="principal", rank=50)])
    seen.add(stamp())
    Level.objects.filter(name="Principal").delete()
    seen.add(stamp())
    assert len(seen) == 5


def test_users_offers_do_not_change_the_stamp():
    market = seattle_senior_tpm_market()
    before = stamp()
    offer = OfferFactory(role=market["role"], level=market["level"], location=market["seattle"])
    Offer.objects.filter(pk=offer.pk).update(base_salary=Decimal("170000"))
    assert stamp() == before


def test_a_rolled_back_change_leaves_nothing_behind(seattle_query):
    assert band_for(seattle_query).percentiles[50] == Decimal("186000")
    with pytest.raises(RuntimeError), transaction.atomic():
        Band.objects.update(p50=Decimal("170000"))
        assert band_for(seattle_query).percentiles[50] == Decimal("204000")  # cached, then undone
        raise RuntimeError
    assert band_for(seattle_query).percentiles[50] == Decimal("186000")


def test_a_lost_stamp_row_is_made_again_with_a_new_value():
    before = stamp()
    MarketDataStamp.objects.all().delete()  # as a test database flush does
    after = stamp()
    assert after != before
    assert stamp() == after


def test_resolved_bands_are_read_only(seattle_query):
    band = band_for(seattle_query)
    with pytest.raises(TypeError):
        band.percentiles[50] = Decimal(1)


def test_the_cache_computes_each_missing_key_once_and_only_for_a_new_version():
    rows = MarketCache("test")
    computed = []

    def compute(keys):
        computed.extend(keys)
        return [f"value of {k}" if k != "none" else None for k in keys]

    assert rows.get_or_compute(["a", "b", "a"], compute) == ["value of a", "value of b", "value of a"]  # fmt: skip
    assert computed == ["a", "b"]  # each missing key once
    rows.get_or_compute(["a", "b", "none"], compute)
    rows.get_or_compute(["none"], compute)
    assert computed == ["a", "b", "none"]  # both kept, and None is kept as an answer too
    Level.objects.create(name="Staff", slug="staff", rank=99)  # any market data: a new version
    rows.get_or_compute(["a"], compute)
    assert computed == ["a", "b", "none", "a"]


def test_keys_carry_the_version_and_the_cache_name():
    version = market_version()
    assert MarketCache("bands").key(version, ("x", 1)).startswith(f"market:{version}:bands:")
    assert MarketCache("bands").key(version, ("x", 1)) != MarketCache("rows").key(version, ("x", 1))
    assert MarketCache("bands").key(version, ("x", 1)) != MarketCache("bands").key(
        version, ("x", 2)
    )


def test_a_request_reads_the_version_once(django_assert_num_queries):
    with django_assert_num_queries(1), reading_market_data():
        assert market_version() == market_version() == market_version()
    with django_assert_num_queries(2):  # outside a request, on every use
        market_version(), market_version()


def test_the_shared_cache_holds_what_was_resolved(seattle_query):
    band = band_for(seattle_query)
    asked = replace(seattle_query, as_of=timezone.localdate())
    assert cache.get(RESOLVED_BANDS.key(market_version(), _cache_key(asked))) == (band,)


# Menus of market data: chosen rows come from the cache once the form has read the stamp.


class OnlyRolesNamedAlpha(forms.Form):
    role = MarketChoiceField(Role.objects.filter(name="Alpha"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_market_rows(self)


def explorer(role, location) -> ExplorerForm:
    return ExplorerForm({"role": str(role), "location": str(location), "component": "base"})


def test_a_chosen_row_is_read_once_then_from_the_cache(seattle_query, django_assert_num_queries):
    role, place = seattle_query.role.pk, seattle_query.location.pk
    # In a request: the version, the pay components with bands, role, place.
    with django_assert_num_queries(4), reading_market_data():
        assert explorer(role, place).is_valid()
    with django_assert_num_queries(1), reading_market_data():  # the version only
        form = explorer(role, place)
        assert form.is_valid()
    assert form.cleaned_data["role"] == seattle_query.role


def test_a_deleted_row_is_no_longer_a_choice(seattle_query):
    extra = RoleFactory(name="Staff Engineer")
    assert explorer(extra.pk, seattle_query.location.pk).is_valid()
    extra.delete()
    form = explorer(extra.pk, seattle_query.location.pk)
    assert not form.is_valid()
    assert "Select a valid choice" in form.errors["role"][0]


def test_a_renamed_row_is_read_again(seattle_query):
    role = seattle_query.role
    explorer(role.pk, seattle_query.location.pk).is_valid()
    Role.objects.filter(pk=role.pk).update(name="Program Manager")
    form = explorer(role.pk, seattle_query.location.pk)
    assert form.is_valid()
    assert form.cleaned_data["role"].name == "Program Manager"


def test_each_menu_offers_only_its_own_rows(seattle_query):
    role = seattle_query.role  # "Technical Product Manager": in the explorer's menu, not Alpha's
    assert explorer(role.pk, seattle_query.location.pk).is_valid()
    assert not OnlyRolesNamedAlpha({"role": str(role.pk)}).is_valid()


@pytest.mark.parametrize("value", ["abc", "-1", "0", "1.5", str(2**63), "１"])
def test_what_is_no_id_is_no_choice(seattle_query, value):
    form = explorer(value, seattle_query.location.pk)
    assert not form.is_valid()
    assert "Select a valid choice" in form.errors["role"][0]


def test_many_keys_asked_together_are_kept_whole_and_follow_the_version(monkeypatch):
    kept = MarketCache("test-batch")
    computed: list[list] = []

    def compute(keys):
        computed.append(list(keys))
        return [f"value {k} at {stamp()}" for k in keys]

    keys = [*range(10), 3]  # a repeated key is computed once
    with reading_market_data():
        first = kept.get_or_compute(keys, compute)
    assert first[3] == first[10] and computed == [list(range(10))]
    # The whole set is one entry: no key is read on its own again.
    monkeypatch.setattr(kept, "_each", lambda *args: pytest.fail("read key by key"))
    with reading_market_data():
        assert kept.get_or_compute(keys, compute) == first
    monkeypatch.undo()
    RoleFactory()  # any write to market data: a new version
    with reading_market_data():
        again = kept.get_or_compute(keys, compute)
    assert again != first and len(computed) == 2
