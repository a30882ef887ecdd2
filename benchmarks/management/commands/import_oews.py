import argparse
import time
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from benchmarks.factors import recompute_industry_factors, recompute_location_factors
from benchmarks.importers.loader import (
    OewsLoadError,
    import_oews_file,
    release_from_filename,
    release_from_label,
)
from benchmarks.importers.oews import OewsFormatError


def _yearly_amount(text: str) -> Decimal:
    try:
        amount = Decimal(text.replace(",", "").lstrip("$"))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount") from None
    if not amount.is_finite() or amount <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount above zero")
    return amount


class Command(BaseCommand):
    help = (
        "Import a BLS OEWS 'all data' table (CSV or XLSX) as official market bands, then "
        "recompute the location and industry factors. The whole file or nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="e.g. all_data_M_2025.xlsx")
        parser.add_argument(
            "--release",
            help='Release label, e.g. "May 2025" (default: read from the file name).',
        )
        parser.add_argument(
            "--effective-date",
            type=date.fromisoformat,
            help="YYYY-MM-DD the figures hold from (default: the first day of the release month).",
        )
        parser.add_argument(
            "--top-coding-bound",
            type=_yearly_amount,
            metavar="AMOUNT",
            help=(
                "Yearly wage the release's '#' stands for, e.g. 239200 (default: the bound "
                "stored for the release, else 239,200, the May 2025 footnote's). Stored on "
                "the release's source."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change and write nothing.",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=10_000,
            help="Print a progress line every N rows (default 10,000).",
        )

    def handle(self, *args, file: Path, dry_run: bool, progress_every: int, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        release, effective_date = self._release(file, options["release"], options["effective_date"])
        started = time.monotonic()

        def progress(stage: str, done: int, total: int) -> None:
            verb = "Read" if stage == "read" else "Saved"
            noun = "rows" if stage == "read" else "bands"
            share = f" ({done / total:.0%})" if total else ""
            self.stderr.write(f"{verb} {done:,} of {total:,} {noun}{share}")

        try:
            with transaction.atomic():
                result = import_oews_file(
                    file,
                    release=release,
                    effective_date=effective_date,
                    top_coding_bound=options["top_coding_bound"],
                    progress=progress,
                    progress_every=max(progress_every, 1),
                )
                if dry_run:
                    transaction.set_rollback(True)
        except OewsFormatError as exc:
            for error in exc.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(
                f"{file.name} was not imported: {len(exc.errors):,} problem(s), listed above. "
                "Nothing was written."
            ) from None
        except OewsLoadError as exc:
            raise CommandError(f"{exc} Nothing was written.") from None

        if dry_run:
            self.stdout.write("Dry run: nothing was written. The import would give:")
            self.stdout.write(result.summary())
        else:
            self.stdout.write(result.summary())
            locations = recompute_location_factors()
            industries = recompute_industry_factors()
            self.stdout.write(
                f"  factors: {locations:,} location and {industries:,} industry factors "
                "created or updated"
            )
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")

    def _release(self, file: Path, release: str | None, effective: date | None) -> tuple[str, date]:
        from_name = release_from_filename(file.name)
        if release is None and from_name:
            release = from_name[0]
        if release is None and effective is not None:
            release = f"{effective:%B %Y}"
        if effective is None and release is not None:
            effective = release_from_label(release) or (from_name[1] if from_name else None)
        if release is None or effective is None:
            raise CommandError(
                f"Cannot tell the release from the file name {file.name!r}: pass "
                '--release "May 2025" --effective-date 2025-05-01.'
            )
        return release, effective
