import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand

from benchmarks.backtest import backtest_newest_release, headline
from benchmarks.exchange_rates import load_ecb_rates
from benchmarks.factors import recompute_industry_factors, recompute_location_factors
from benchmarks.importers.loader import load_oews_rows, release_is_loaded
from benchmarks.importers.oews import parse_oews
from benchmarks.seed import seed_market_data

SHIPPED_OEWS = Path(__file__).resolve().parents[2] / "data" / "oews-may2025-tech.csv"
SHIPPED_RELEASE = "May 2025"
SHIPPED_EFFECTIVE_DATE = date(2025, 5, 1)


class Command(BaseCommand):
    help = (
        "Load the market data that ships with OfferBench: levels, sizes, roles, the TPM "
        "ladder, assumptions, exchange rates and the BLS OEWS May 2025 extract, then the "
        "factors computed from it. Safe to run again."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        seeded = seed_market_data()
        self.stdout.write(f"Levels, sizes, roles, guides and assumptions: {seeded}.")
        self.stdout.write(str(load_ecb_rates()))

        rows = parse_oews(SHIPPED_OEWS)
        if release_is_loaded(rows, release=SHIPPED_RELEASE, effective_date=SHIPPED_EFFECTIVE_DATE):
            self.stdout.write(f"BLS OEWS {SHIPPED_RELEASE}: already loaded.")
        else:
            result = load_oews_rows(
                rows, release=SHIPPED_RELEASE, effective_date=SHIPPED_EFFECTIVE_DATE
            )
            self.stdout.write(f"BLS OEWS {SHIPPED_RELEASE}: bands {result.bands}.")

        locations = recompute_location_factors()
        industries = recompute_industry_factors()
        self.stdout.write(
            f"Factors: {locations:,} location and {industries:,} industry factors created or "
            f"updated. Done in {time.monotonic() - started:.1f} s."
        )
        measured = backtest_newest_release()
        self.stdout.write(f"Back-test: {headline(measured[1] if measured else {})}.")
