import time

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef

from benchmarks.community_build import rebuild_community_bands
from benchmarks.models import Contribution


class Command(BaseCommand):
    help = (
        "Rebuild every community band from this site's contributions (benchmarks/"
        "community_build.py), after removing contributions no offer points at any more. "
        "Safe to run again: a shown band changes only when enough new contributions allow."
    )

    def handle(self, *args, **options):
        from offers.models import Offer  # offers depends on benchmarks, not the reverse

        started = time.monotonic()
        # Withdrawn through the offer's own delete in the normal course; these are left over
        # (an offer removed in bulk, say), and the cells they were in change at this rebuild.
        # The demo data's contributions stand for no one's offer, so they are never orphans.
        orphans = Contribution.objects.filter(is_demo=False).filter(
            ~Exists(Offer.objects.filter(contribution=OuterRef("pk")))
        )
        _, deleted = orphans.delete()
        removed = deleted.get(Contribution._meta.label, 0)
        self.stdout.write(
            f"{removed:,} contribution{'' if removed == 1 else 's'} no offer points at removed."
        )
        self.stdout.write(
            f"Rebuilding community bands from {Contribution.objects.count():,} contributions …"
        )
        report = rebuild_community_bands()
        self.stdout.write(
            f"Cells: {report.shown:,} shown, {report.too_few:,} too few, "
            f"{report.refreshing:,} refreshing ({report.published:,} published afresh, "
            f"{report.kept:,} kept as published, {report.removed:,} removed, "
            f"{report.smoothed:,} smoothed to keep the levels rising)."
        )
        if report.left_out_no_rate:
            self.stdout.write(
                f"{report.left_out_no_rate:,} contributions left out of cells in another "
                "currency: no exchange rate to convert them."
            )
        self.stdout.write(
            f"{report.contributions:,} contributions counted. "
            f"Done in {time.monotonic() - started:.1f} s."
        )
