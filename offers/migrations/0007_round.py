"""A round of a negotiation is called a round everywhere: the model OfferVersion becomes Round and
an offer's rounds are `offer.rounds`. The table keeps its name, so no row moves and the data-stamp
triggers on it stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0006_rounds_keep_full_clawback"),
    ]

    operations = [
        # First pin the table's name, so renaming the model renames nothing in the database.
        migrations.AlterModelTable(name="offerversion", table="offers_offerversion"),
        migrations.RenameModel(old_name="OfferVersion", new_name="Round"),
        migrations.AlterField(
            model_name="round",
            name="offer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rounds",
                to="offers.offer",
            ),
        ),
    ]
