from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = "Offers"

    def ready(self):
        from offers.contributions import refresh_saved_offer, withdraw_deleted_offer
        from offers.models import Offer

        # A contributed offer's contribution follows its edits and goes with it when deleted.
        post_save.connect(refresh_saved_offer, sender=Offer, dispatch_uid="contribution_refresh")
        post_delete.connect(
            withdraw_deleted_offer, sender=Offer, dispatch_uid="contribution_withdraw"
        )
