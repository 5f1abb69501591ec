"""Write a development Ed25519 key for signing Open Badges, unless one is configured.

Idempotent: `make setup` runs it on every setup. Production sets COURTESY_BADGE_PRIVATE_KEY
(or COURTESY_BADGE_KEY_PATH to a file it manages) and this command changes nothing.
"""

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from certificates import badges


class Command(BaseCommand):
    help = "Create the Open Badges signing key under var/keys/ when none is configured."

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "COURTESY_BADGE_PRIVATE_KEY", ""):
            self.stdout.write("badge key: COURTESY_BADGE_PRIVATE_KEY is set, nothing to do")
            return
        path = badges.configured_key_path()
        if path.is_file():
            self.stdout.write(f"badge key: {path} exists")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created readable by its owner only, before the key is written into it.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(badges.generate_key_pem())
        self.stdout.write(self.style.SUCCESS(f"badge key: wrote a new Ed25519 key to {path}"))
