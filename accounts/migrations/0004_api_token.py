"""API keys as digests (accounts.models.ApiToken, django-rest-knox), and the end of the plain-text keys.

The keys of rest_framework.authtoken (removed from INSTALLED_APPS) were stored
in plain text. They no longer work, and nothing can turn them into digests
that would: their table is dropped, so no readable key is left in the
database. Not reversible into data (the keys are gone).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_roles_and_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("digest", models.CharField(max_length=128, unique=True)),
                ("token_key", models.CharField(db_index=True, max_length=25, verbose_name="begint met")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="gemaakt")),
                ("expiry", models.DateTimeField(blank=True, null=True, verbose_name="verloopt")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="auth_token_set",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "API-sleutel",
                "verbose_name_plural": "API-sleutels",
            },
        ),
        migrations.RunSQL('DROP TABLE IF EXISTS "authtoken_token"', reverse_sql=migrations.RunSQL.noop),
    ]
