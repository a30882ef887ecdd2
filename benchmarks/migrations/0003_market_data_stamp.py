"""The market-data stamp and the triggers that change it on every write to market data
(config/stamps.py)."""

from django.db import migrations, models

from config.stamps import market_triggers, new_stamp

# The market-data tables as of this migration. A new market-data model needs a migration adding
# its table to config.stamps.MARKET_TABLES; tests/test_market_cache.py fails until it has one.
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


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    triggers = market_triggers(connection.vendor, MARKET_TABLES)
    apps.get_model("benchmarks", "MarketDataStamp").objects.using(connection.alias).create(
        pk=1, value=new_stamp()
    )
    for statement in triggers.drop + triggers.create:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in market_triggers(schema_editor.connection.vendor, MARKET_TABLES).drop:
        schema_editor.execute(statement)


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
