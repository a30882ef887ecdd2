"""What the after-tax estimate costs, in process, for the bench person's first two offers (the
pair `make bench` compares): importing the tax library, the first estimate of every year of both
offers (nothing cached), and the same again (from the estimate's cache). Prints one JSON line.

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=config.settings.prod .venv/bin/python -m perf.tax_cost ID ID
"""

import json
import sys
import time


def main(offer_ids: list[int]) -> None:
    import django

    django.setup()
    from offers.after_tax import take_home_by_year
    from offers.compensation import compute_compensation
    from offers.models import Offer
    from offers.terms import offer_terms
    from offers.worth import first_tax_year, tax_place

    offers = list(Offer.objects.filter(pk__in=offer_ids).select_related("owner", "location"))
    today = offers[0].received_on

    def estimate_both() -> int:
        years = 0
        for offer in offers:
            terms = offer_terms(offer)
            estimates = take_home_by_year(
                compute_compensation(terms),
                terms,
                place=tax_place(offer),
                household=offer.owner.household(),
                first_tax_year=first_tax_year(offer, today),
            )
            years += len(estimates)
        return years

    started = time.perf_counter()
    import tenforty  # noqa: F401 - what the first U.S. estimate in a process imports

    imported = time.perf_counter()
    years = estimate_both()
    first = time.perf_counter()
    estimate_both()
    repeated = time.perf_counter()
    print(
        json.dumps(
            {
                "import_ms": (imported - started) * 1000,
                "first_ms": (first - imported) * 1000,
                "repeated_ms": (repeated - first) * 1000,
                "years": years,
                "places": [str(offer.location) for offer in offers],
            }
        )
    )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]])
