from django.db import migrations, models


def fill_contributor_keys(apps, schema_editor):
    """Each existing contribution's person: the owner of the offer that points at it, keyed as
    offers.contributions keys it; one no offer points at (a demo one, or one left behind) is a
    person of its own."""
    from offers.contributions import contributor_key, own_contributor_key

    Contribution = apps.get_model("benchmarks", "Contribution")
    Offer = apps.get_model("offers", "Offer")
    db = schema_editor.connection.alias
    owners = dict(
        Offer.objects.using(db)
        .filter(contribution__isnull=False)
        .values_list("contribution_id", "owner_id")
    )
    rows = list(Contribution.objects.using(db).only("pk").order_by("pk"))
    for row in rows:
        owner = owners.get(row.pk)
        row.contributor_key = (
            contributor_key(owner)
            if owner is not None
            else own_contributor_key(f"contribution:{row.pk}")
        )
    Contribution.objects.using(db).bulk_update(rows, ["contributor_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0006_community_bands"),
        ("offers", "0009_offer_contribution"),
    ]

    operations = [
        migrations.AddField(
            model_name="contribution",
            name="contributor_key",
            field=models.CharField(
                default="",
                help_text="A keyed hash of the person who contributed it: counts people, names none.",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_contributor_keys, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="contribution",
            constraint=models.CheckConstraint(
                condition=models.Q(("contributor_key", ""), _negated=True),
                name="contribution_contributor_key_set",
            ),
        ),
    ]
