"""Triggers that change a person's data stamp (accounts.User.data_stamp) on every write to their
offers, rounds or share links, however it is written (config/stamps.py)."""

from django.db import migrations

from config.stamps import owner_triggers

# The tables of a person's data as of this migration, and how a row names its owner.
OWNED_TABLES = {
    "offers_offer": "{row}.owner_id",
    "offers_sharelink": "{row}.owner_id",
    "offers_offerversion": "(SELECT owner_id FROM offers_offer WHERE id = {row}.offer_id)",
}


def create_triggers(apps, schema_editor):
    triggers = owner_triggers(schema_editor.connection.vendor, OWNED_TABLES)
    for statement in triggers.drop + triggers.create:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in owner_triggers(schema_editor.connection.vendor, OWNED_TABLES).drop:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_data_stamp"),
        ("offers", "0002_offerversion_sharelink"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
