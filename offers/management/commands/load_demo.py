from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User

DEMO_EMAIL = "demo@offerbench.example"
DEMO_PASSWORD = "offerbench-demo"  # noqa: S105 - a published demo account for local use
ADMIN_EMAIL = "admin@offerbench.example"
ADMIN_PASSWORD = "offerbench-admin"  # noqa: S105 - local development only


class Command(BaseCommand):
    help = "Create the demo account (with sample offers) and a local admin. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        demo, created = User.objects.get_or_create(
            email=DEMO_EMAIL, defaults={"display_name": "Demo candidate"}
        )
        if created:
            demo.set_password(DEMO_PASSWORD)
            demo.save()
        admin, admin_created = User.objects.get_or_create(
            email=ADMIN_EMAIL,
            defaults={"display_name": "Admin", "is_staff": True, "is_superuser": True},
        )
        if admin_created:
            admin.set_password(ADMIN_PASSWORD)
            admin.save()
        self.stdout.write(
            f"Demo account {DEMO_EMAIL} {'created' if created else 'already there'}; "
            f"admin {ADMIN_EMAIL} {'created' if admin_created else 'already there'}."
        )
