"""Load the bundled content (content/) into the database, idempotently.

A loader whose files have not changed since its last run is skipped, so edits made in the
studio survive restarts; `--force` runs every loader anyway.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from core.content import CONTENT_LOADERS, ContentError
from core.models import ContentLoad


class Command(BaseCommand):
    help = "Load bundled courses, scenarios, rule packs, quizzes, role-plays and tracks."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--content-dir", type=Path, default=settings.CONTENT_DIR)
        parser.add_argument(
            "--force", action="store_true", help="load even files that have not changed"
        )

    def handle(self, *args: object, **options: object) -> None:
        content_dir = Path(str(options["content_dir"]))
        if not content_dir.is_dir():
            raise CommandError(f"No content folder at {content_dir}")
        for loader in CONTENT_LOADERS:
            name = loader.dotted.rsplit(".", 1)[-1]
            digest = loader.digest(content_dir)
            last = ContentLoad.objects.filter(loader=loader.dotted).first()
            if last and last.digest == digest and not options["force"]:
                self.stdout.write(f"{name}: files unchanged since the last load, skipped")
                continue
            try:
                with transaction.atomic():
                    summary = import_string(loader.dotted)(content_dir)
                    ContentLoad.objects.update_or_create(
                        loader=loader.dotted, defaults={"digest": digest}
                    )
            except ContentError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{summary}")
