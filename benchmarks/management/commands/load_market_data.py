from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the market data that ships with OfferBench. Safe to run again."

    def handle(self, *args, **options):
        self.stdout.write("No market data ships yet.")
