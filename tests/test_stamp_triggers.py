"""The stamp triggers survive schema changes: on SQLite, altering a column rebuilds its table,
which drops the table's triggers and fails while another table's trigger names it. Every migrate
run drops the triggers first and recreates them after (core/stamps.py)."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate, pre_migrate

from accounts.models import User
from benchmarks.models import Level, MarketDataStamp
from offers.models import Offer
from tests.factories import LevelFactory, OfferFactory

pytestmark = pytest.mark.django_db(transaction=True)


def stamps(user) -> tuple[int, int]:
    return MarketDataStamp.objects.current(), User.objects.get(pk=user.pk).data_stamp


def migrate_around(change) -> None:
    """What `manage.py migrate` does around its migrations, with `change` as the migration."""
    benchmarks = apps.get_app_config("benchmarks")
    pre_migrate.send(sender=benchmarks, app_config=benchmarks, using=connection.alias)
    with connection.schema_editor() as editor:
        change(editor)
    post_migrate.send(sender=benchmarks, app_config=benchmarks, using=connection.alias)


def resize(model, name: str, before: int, after: int):
    def change(editor):
        fields = []
        for length in (before, after):
            field = model._meta.get_field(name).clone()
            field.set_attributes_from_name(name)
            field.model = model
            field.max_length = length
            fields.append(field)
        editor.alter_field(model, *fields)

    return change


# Offer: its rounds' triggers name its table. Level: a market table with triggers of its own.
COLUMNS = [(Offer, "company", 120), (Level, "name", 60)]


def test_tables_rebuilt_by_a_migration_keep_their_stamp_triggers():
    offer = OfferFactory()
    for model, name, length in COLUMNS:
        migrate_around(resize(model, name, length, length + 1))
    try:
        before = stamps(offer.owner)
        Offer.objects.filter(pk=offer.pk).update(base_salary=Decimal("171000"))
        LevelFactory(name="Principal", rank=60)
        after = stamps(offer.owner)
        assert before[0] != after[0] and before[1] != after[1]
    finally:
        for model, name, length in COLUMNS:
            migrate_around(resize(model, name, length + 1, length))


def test_a_flushed_database_gets_its_market_stamp_row_back():
    # Between transactional tests the suite flushes every table, then sends post_migrate, as
    # `manage.py flush` does: the stamp's row is back before anyone reads it, so a page's first
    # read is one query, not a create.
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)

    assert MarketDataStamp.objects.filter(pk=MarketDataStamp.ROW).count() == 1
    before = MarketDataStamp.objects.current()
    LevelFactory(name="Staff", slug="staff", rank=45)
    assert MarketDataStamp.objects.current() != before  # and the triggers still set it
