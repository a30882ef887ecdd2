from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connect the per-account failure counter and the clean-up of deleted accounts.
        from accounts import backends, personal_data  # noqa: F401
