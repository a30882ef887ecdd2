"""The market-data stamp and the triggers that change it on every write to market data."""

import secrets

from django.db import migrations, models

# Every market-data table a band lookup reads (history tables are not read by it).
# A new market-data model needs its table added in a new migration;
# tests/test_market_cache.py fails until it is.
MARKET_TABLES = (
    "benchmarks_occupation",
    "benchmarks_role",
    "benchmarks_level",
    "benchmarks_location",
    "benchmarks_industry",
    "benchmarks_companysize",
    "benchmarks_source",
    "benchmarks_band",
    "benchmarks_factor",
    "benchmarks_exchangerate",
)
STAMP_TABLE = "benchmarks_marketdatastamp"
PG_FUNCTION = "benchmarks_new_market_stamp"


def sqlite_statements(table):
    # SQLite has row triggers only; each is one in-place update of one row.
    for event in ("INSERT", "UPDATE", "DELETE"):
        yield (
            f"CREATE TRIGGER {table}_stamp_{event.lower()} AFTER {event} ON {table} "
            f"BEGIN UPDATE {STAMP_TABLE} SET value = abs(random() >> 1) WHERE id = 1; END"
        )


def postgresql_statements(table):
    # One statement trigger, so a 100,000-row import updates the stamp once per batch,
    # not once per row (row updates of one row in one transaction grow a long version chain).
    yield (
        f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
    )


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    apps.get_model("benchmarks", "MarketDataStamp").objects.using(connection.alias).create(
        pk=1, value=secrets.randbits(62)
    )
    if connection.vendor == "sqlite":
        statements = [s for table in MARKET_TABLES for s in sqlite_statements(table)]
    elif connection.vendor == "postgresql":
        statements = [
            f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"UPDATE {STAMP_TABLE} SET value = floor(random() * 4611686018427387903)::bigint "
            f"WHERE id = 1; RETURN NULL; END $$"
        ]
        statements += [s for table in MARKET_TABLES for s in postgresql_statements(table)]
    else:
        raise NotImplementedError(
            f"OfferBench runs on SQLite or PostgreSQL, not {connection.vendor}: the market-data "
            "stamp needs database triggers."
        )
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    for table in MARKET_TABLES:
        if connection.vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0002_band_lookup_by_place"),
    ]

    operations = [
        migrations.CreateModel(
            name="MarketDataStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
