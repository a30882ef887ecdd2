"""Triggers that change a person's data stamp (accounts.User.data_stamp) on every write to their
offers, rounds or share links, however it is written; their cached pages are keyed by it."""

from django.db import migrations

SQLITE_STAMP = "abs(random() >> 1)"
POSTGRES_STAMP = "floor(random() * 4611686018427387903)::bigint"

# Each table, and how a row names its owner: directly, or through its offer.
OWNED_TABLES = {
    "offers_offer": "{row}.owner_id",
    "offers_sharelink": "{row}.owner_id",
    "offers_offerversion": "(SELECT owner_id FROM offers_offer WHERE id = {row}.offer_id)",
}


def _sqlite(table, owner):
    touched = {
        "insert": owner.format(row="NEW"),
        "update": f"{owner.format(row='OLD')}, {owner.format(row='NEW')}",
        "delete": owner.format(row="OLD"),
    }
    for event, owners in touched.items():
        yield (
            f"CREATE TRIGGER {table}_owner_stamp_{event} AFTER {event.upper()} ON {table} "
            f"BEGIN UPDATE accounts_user SET data_stamp = {SQLITE_STAMP} "
            f"WHERE id IN ({owners}); END"
        )


def _postgresql(table, owner):
    function = f"{table}_owner_stamp"
    yield (
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN UPDATE accounts_user SET data_stamp = {POSTGRES_STAMP} "
        f"WHERE id = {owner.format(row='OLD')}; END IF; "
        f"IF TG_OP <> 'DELETE' THEN UPDATE accounts_user SET data_stamp = {POSTGRES_STAMP} "
        f"WHERE id = {owner.format(row='NEW')}; END IF; "
        f"RETURN NULL; END $$"
    )
    yield (
        f"CREATE TRIGGER {table}_owner_stamp AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()"
    )


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(
            f"OfferBench runs on SQLite or PostgreSQL, not {vendor}: data stamps need triggers."
        )
    build = _sqlite if vendor == "sqlite" else _postgresql
    for table, owner in OWNED_TABLES.items():
        for statement in build(table, owner):
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in OWNED_TABLES:
        if vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_owner_stamp_{event}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_owner_stamp ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_owner_stamp()")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_data_stamp"),
        ("offers", "0002_offerversion_sharelink"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
