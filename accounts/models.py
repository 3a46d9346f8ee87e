"""People: the user model and the global roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class User(AbstractUser):
    # E-mail is how people are reached (notifications, password reset), so
    # it is required and unique, compared case-insensitively.
    email = models.EmailField(_("e-mailadres"))
    full_name = models.CharField(_("naam"), max_length=200, blank=True)
    # The language of the interface after login and of the e-mail sent to
    # them; empty: the site's default (Dutch).
    language = models.CharField(_("taal"), max_length=8, choices=settings.LANGUAGES, blank=True)

    # createsuperuser asks for the name too: people are shown by name, never by username.
    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(models.functions.Lower("email"), name="user_email_unique_ci"),
        ]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class GlobalRole(models.TextChoices):
    """Global roles are Django groups with these names (created by a migration)."""

    REVIEWER = "reviewer", _("Beoordelaar")
    REVIEW_CHAIR = "review_chair", _("Voorzitter beoordeling")
    RIJK_OFFICIAL = "rijk_official", _("Rijksambtenaar")
    DATA_STEWARD = "data_steward", _("Databeheerder")
    # Starts coalitions for a region (invited by a platform administrator).
    REGIONAL_PARTNER = "regional_partner", _("Regionale partner")
    # Invites Rijk officials and sets their mandates.
    PROGRAMME_ADMIN = "programme_admin", _("Programmabeheerder")
    # Invites anyone to any role; not the Django superuser.
    PLATFORM_ADMIN = "platform_admin", _("Platformbeheerder")


class ApiToken(AbstractAuthToken):
    """An API key: the SHA-512 digest of the key and its first characters, never the key itself.

    django-rest-knox's token (settings.KNOX_TOKEN_MODEL), with an id of our
    own: knox's primary key is the digest, which would then appear in the
    admin's links and forms. Written and read only through accounts/api_tokens.py.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    # The first characters of the key (``api_tokens.PREFIX_LENGTH``): how its owner tells keys apart,
    # and how the check finds the row before comparing digests.
    token_key = models.CharField(
        _("begint met"), max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH, db_index=True
    )
    created = models.DateTimeField(_("gemaakt"), auto_now_add=True)
    expiry = models.DateTimeField(_("verloopt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.token_key}…"
