"""People: the user model and the global roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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
