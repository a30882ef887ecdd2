"""Rounds saved before a sign-on's repayment could be pro rata were read as repaid in full:
their snapshots say so, so a history never shows a change no one made."""

from django.db import migrations


def snapshots_say_full(apps, schema_editor):
    OfferVersion = apps.get_model("offers", "OfferVersion")
    changed = []
    for version in OfferVersion.objects.only("snapshot").iterator(chunk_size=500):
        if isinstance(version.snapshot, dict) and "sign_on_clawback" not in version.snapshot:
            version.snapshot = version.snapshot | {"sign_on_clawback": "full"}
            changed.append(version)
    OfferVersion.objects.bulk_update(changed, ["snapshot"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("offers", "0005_sign_on_clawback")]

    operations = [migrations.RunPython(snapshots_say_full, migrations.RunPython.noop, elidable=True)]
