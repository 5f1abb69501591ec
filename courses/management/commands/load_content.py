"""Load the bundled content (content/) into the database, idempotently."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from core.content import CONTENT_LOADERS, ContentError


class Command(BaseCommand):
    help = "Load bundled courses, scenarios, rule packs, quizzes, role-plays and tracks."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--content-dir", type=Path, default=settings.CONTENT_DIR)

    def handle(self, *args: object, **options: object) -> None:
        content_dir = Path(str(options["content_dir"]))
        if not content_dir.is_dir():
            raise CommandError(f"No content folder at {content_dir}")
        for dotted in CONTENT_LOADERS:
            loader = import_string(dotted)
            try:
                summary = loader(content_dir)
            except ContentError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{summary}")
