"""Stamps: values that change, in the same transaction, whenever some data changes.

Database triggers set them, so every way of writing the data (the ORM, bulk updates, imports, the
admin, raw SQL) changes the stamp, and nothing made from it serves what was true before. They
are random, not counters, so a rolled-back change never hands a value out again for other data.

- The market-data stamp (benchmarks.MarketDataStamp) changes on any write to market data: it is
  the version in every key of the shared cache of market data (benchmarks/market_cache.py).
- A person's data stamp (accounts.User.data_stamp) changes on any write to their offers, rounds
  or share links: it is part of their pages' ETags (offers/conditional_pages.py).

They are the one way the site learns that data changed; each is read once per request.

The migrations that introduced them create the triggers. SQLite rebuilds a table to alter most of
its columns, which drops the table's triggers and fails while another table's trigger names it,
so on SQLite every migration run drops them first and every run recreates them afterwards
(``drop_before_migrate`` and ``recreate_after_migrate``, connected in benchmarks.apps).
"""

import secrets
from dataclasses import dataclass

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

# Every market-data table a band lookup or a market menu reads (history tables are not read).
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
    "benchmarks_levelbasis",
    "benchmarks_wagegrowth",
    "benchmarks_backtestfigure",
    "benchmarks_communityband",
)
# Market-data tables no page reads: contributions and the record of which ones a community band
# stands on change what pages show only through a rebuild, which writes benchmarks_communityband.
UNSTAMPED_MARKET_TABLES = ("benchmarks_contribution", "benchmarks_communitybandmember")
# Each table of a person's data, and how its row names its owner.
OWNED_TABLES = {
    "offers_offer": "{row}.owner_id",
    "offers_sharelink": "{row}.owner_id",
    "offers_offerversion": "(SELECT owner_id FROM offers_offer WHERE id = {row}.offer_id)",
}
MARKET_MIGRATION = ("benchmarks", "0003_market_data_stamp")
OWNER_MIGRATION = ("offers", "0003_owner_data_stamp_triggers")

_SQLITE_STAMP = "abs(random() >> 1)"
_POSTGRES_STAMP = "floor(random() * 4611686018427387903)::bigint"
_MARKET_FUNCTION = "benchmarks_new_market_stamp"
_EVENTS = ("insert", "update", "delete")


def new_stamp() -> int:
    return secrets.randbits(62)


@dataclass(frozen=True)
class TriggerSql:
    create: list[str]
    drop: list[str]


def _supported(vendor: str) -> None:
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(
            f"OfferBench runs on SQLite or PostgreSQL, not {vendor}: its stamps need triggers."
        )


def market_triggers(vendor: str, tables=MARKET_TABLES) -> TriggerSql:
    _supported(vendor)
    set_stamp = "UPDATE benchmarks_marketdatastamp SET value = {} WHERE id = 1"
    if vendor == "sqlite":
        # SQLite has row triggers only; each is one in-place update of one row.
        return TriggerSql(
            create=[
                f"CREATE TRIGGER {table}_stamp_{event} AFTER {event.upper()} ON {table} "
                f"BEGIN {set_stamp.format(_SQLITE_STAMP)}; END"
                for table in tables
                for event in _EVENTS
            ],
            drop=[f"DROP TRIGGER IF EXISTS {t}_stamp_{e}" for t in tables for e in _EVENTS],
        )
    # Statement triggers: a 100,000-row import changes the stamp once per batch, not once per
    # row (updating one row many times in one transaction grows a long version chain).
    function = (
        f"CREATE OR REPLACE FUNCTION {_MARKET_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {set_stamp.format(_POSTGRES_STAMP)}; RETURN NULL; END $$"
    )
    return TriggerSql(
        create=[function]
        + [
            f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {_MARKET_FUNCTION}()"
            for table in tables
        ],
        drop=[f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}" for table in tables],
    )


def owner_triggers(vendor: str, tables=OWNED_TABLES) -> TriggerSql:
    _supported(vendor)
    set_stamp = "UPDATE accounts_user SET data_stamp = {} WHERE id {}"
    if vendor == "sqlite":
        create = []
        for table, owner in tables.items():
            owners = {
                "insert": owner.format(row="NEW"),
                "update": f"{owner.format(row='OLD')}, {owner.format(row='NEW')}",
                "delete": owner.format(row="OLD"),
            }
            create += [
                f"CREATE TRIGGER {table}_owner_stamp_{event} AFTER {event.upper()} ON {table} "
                f"BEGIN {set_stamp.format(_SQLITE_STAMP, f'IN ({owners[event]})')}; END"
                for event in _EVENTS
            ]
        drop = [f"DROP TRIGGER IF EXISTS {t}_owner_stamp_{e}" for t in tables for e in _EVENTS]
        return TriggerSql(create, drop)
    create = []
    for table, owner in tables.items():
        old = set_stamp.format(_POSTGRES_STAMP, f"= {owner.format(row='OLD')}")
        new = set_stamp.format(_POSTGRES_STAMP, f"= {owner.format(row='NEW')}")
        create += [
            f"CREATE OR REPLACE FUNCTION {table}_owner_stamp() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN IF TG_OP <> 'INSERT' THEN {old}; END IF; "
            f"IF TG_OP <> 'DELETE' THEN {new}; END IF; RETURN NULL; END $$",
            f"CREATE TRIGGER {table}_owner_stamp AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_owner_stamp()",
        ]
    drop = [f"DROP TRIGGER IF EXISTS {table}_owner_stamp ON {table}" for table in tables]
    return TriggerSql(create, drop)


def drop_before_migrate(using: str, **kwargs) -> None:
    """pre_migrate: on SQLite, no stamp trigger may stand in the way of a table rebuild."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return  # PostgreSQL alters tables in place and keeps their triggers
    with connection.cursor() as cursor:
        for statement in market_triggers("sqlite").drop + owner_triggers("sqlite").drop:
            cursor.execute(statement)


def recreate_after_migrate(using: str, **kwargs) -> None:
    """post_migrate: every stamp trigger whose migration is applied exists, exactly once, and so
    does the market-data stamp's row."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    applied = MigrationRecorder(connection).applied_migrations()
    wanted = []
    if MARKET_MIGRATION in applied:
        wanted.append(market_triggers(connection.vendor))
    if OWNER_MIGRATION in applied:
        wanted.append(owner_triggers(connection.vendor))
    with connection.cursor() as cursor:
        for triggers in wanted:
            for statement in triggers.drop + triggers.create:
                cursor.execute(statement)
        if MARKET_MIGRATION in applied:
            # Its one row, which triggers update and requests read. flush (run between a test
            # suite's transactional tests, then post_migrate) empties the table; without the row
            # the next reader would have to create it, and four queries go into its first page.
            cursor.execute(
                "INSERT INTO benchmarks_marketdatastamp (id, value) SELECT 1, %s "
                "WHERE NOT EXISTS (SELECT 1 FROM benchmarks_marketdatastamp WHERE id = 1)",
                [new_stamp()],
            )
