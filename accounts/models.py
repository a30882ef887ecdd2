import unicodedata

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from core.stamps import new_stamp
from offers.take_home import MAX_DEPENDANTS, FilingStatus, Household


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str):
        # People type their address in any case; it is stored lower-cased. The admin's sign-in
        # form applies NFKC and the site's strips: both sign-ins read an address alike.
        return self.get(email__iexact=unicodedata.normalize("NFKC", username).strip())


class User(AbstractUser):
    """A person who saves offers. Signs in with an email address, not a username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    # Changes whenever the person's offers, rounds or share links change (core/stamps.py):
    # triggers set it (offers migration 0003), and their pages' ETags are made from it.
    data_stamp = models.BigIntegerField(default=new_stamp, editable=False)
    # The household after-tax estimates are made for (offers/take_home.py).
    filing_status = models.CharField(
        "tax filing status",
        max_length=20,
        choices=[(status.value, status.label) for status in FilingStatus],
        default=FilingStatus.SINGLE.value,
        help_text="How you file your income tax return. Used for after-tax estimates.",
    )
    dependants = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_DEPENDANTS)],
        help_text=f"Children or others you support, from 0 to {MAX_DEPENDANTS}.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=Q(dependants__gte=0, dependants__lte=MAX_DEPENDANTS),
                name="user_dependants_0_to_20",
            ),
            models.CheckConstraint(
                condition=Q(filing_status__in=[status.value for status in FilingStatus]),
                name="user_filing_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Only triggers write the data stamp: saving a person loaded before their offers
            # changed must not put back the old stamp (and with it, a page's ETag from then).
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "data_stamp"
            ]
        super().save(*args, **kwargs)

    def household(self) -> Household:
        """Whom this person's after-tax estimates are for."""
        return Household(filing_status=FilingStatus(self.filing_status), dependants=self.dependants)

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]
