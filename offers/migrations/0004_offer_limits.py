"""Limits no real offer meets (offers.models: MAX_PERKS, MAX_NOTES_CHARACTERS, the text fields'
lengths), checked by the database. A row already past them is cut back to them first, so the
constraints can be added: its first 50 perks and first 10,000 characters of notes are kept.

SQLite adds a constraint by rebuilding the table, which fails while a stamp trigger names it, so
on SQLite the owner triggers are dropped first; the migrate command's post_migrate handler
(config.stamps.recreate_after_migrate) creates them again."""

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models
from django.db.models.functions import Length

import offers.models
from config.stamps import owner_triggers

TEXT_LIMITS = {"notes": 10000, "custom_vesting_percentages": 100, "company": 120, "job_title": 120}


def cut_back_to_the_limits(apps, schema_editor):
    Offer = apps.get_model("offers", "Offer")
    over = Offer.objects.filter(
        models.Q(
            django.db.models.lookups.GreaterThan(offers.models.JSONArrayLength("other_perks"), 50)
        )
    )
    for offer in over.only("pk", "other_perks").iterator():
        Offer.objects.filter(pk=offer.pk).update(other_perks=offer.other_perks[:50])
    for field, limit in TEXT_LIMITS.items():
        rows = Offer.objects.annotate(length=Length(field)).filter(length__gt=limit)
        for pk, text in rows.values_list("pk", field).iterator():
            Offer.objects.filter(pk=pk).update(**{field: text[:limit]})


def drop_owner_triggers_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in owner_triggers("sqlite").drop:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0003_owner_data_stamp_triggers"),
    ]

    operations = [
        migrations.RunPython(cut_back_to_the_limits, migrations.RunPython.noop),
        migrations.RunPython(drop_owner_triggers_on_sqlite, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="offer",
            name="notes",
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AddConstraint(
            model_name="offer",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    offers.models.JSONArrayLength("other_perks"), 50
                ),
                name="offer_perks_at_most_50",
            ),
        ),
        migrations.AddConstraint(
            model_name="offer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    django.db.models.lookups.LessThanOrEqual(
                        django.db.models.functions.text.Length("notes"), 10000
                    ),
                    django.db.models.lookups.LessThanOrEqual(
                        django.db.models.functions.text.Length("custom_vesting_percentages"), 100
                    ),
                    django.db.models.lookups.LessThanOrEqual(
                        django.db.models.functions.text.Length("company"), 120
                    ),
                    django.db.models.lookups.LessThanOrEqual(
                        django.db.models.functions.text.Length("job_title"), 120
                    ),
                ),
                name="offer_text_lengths_bounded",
            ),
        ),
    ]
