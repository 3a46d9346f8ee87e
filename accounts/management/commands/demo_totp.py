"""Fixed authenticator keys for the demo Rijk officials (only locally, DEBUG on).

Approving needs a session verified with a one-time code (accounts.two_factor).
So that the demo can be clicked through without scanning a QR code, the demo
officials get a confirmed TOTP device with a key that is written here and in
README.md; a code is then ``oathtool --totp -b <key>``.
"""

from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

DEVICE_NAME = "Demo-authenticator (vaste sleutel)"
# Username and the raw 20-byte key (public: demo only). README.md lists the base32 form.
DEMO_KEYS = {
    "rijksambtenaar": b"kansen-demo-rijk-001",
    "rijksambtenaar2": b"kansen-demo-rijk-002",
}


def base32_key(raw: bytes) -> str:
    return b32encode(raw).decode()


class Command(BaseCommand):
    help = "Geef de demo-Rijksambtenaren een authenticator met een vaste sleutel (alleen lokaal, DEBUG aan)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo-sleutels alleen met DJANGO_DEBUG=true (lokale standaard).")
        for username, raw in DEMO_KEYS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                self.stderr.write(f"{username}: gebruiker bestaat niet (eerst manage.py load_demo).")
                continue
            TOTPDevice.objects.update_or_create(
                user=user, name=DEVICE_NAME, defaults={"key": raw.hex(), "confirmed": True}
            )
            self.stdout.write(
                f"{username}: TOTP-sleutel {base32_key(raw)}  (code: oathtool --totp -b {base32_key(raw)})"
            )
