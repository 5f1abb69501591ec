"""The order in which `load_content` loads each app's bundled content.

Scenarios and rule packs come first because quizzes, role-plays and lessons point at them.
Each loader takes the content folder, is idempotent, and returns a one-line summary.

The content folder seeds the site; trainers then edit in the studio. So a loader runs only when
the files it reads have changed since its last successful run: restarting the site never puts
back what a trainer changed, while editing a bundled file still ships a new version.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ContentLoader:
    dotted: str  # the loader function
    patterns: tuple[str, ...]  # the files it reads, relative to the content folder

    def digest(self, content_dir: Path) -> str:
        """A hash of the names and bytes of every file this loader reads."""
        sha = hashlib.sha256()
        paths = sorted({p for pattern in self.patterns for p in content_dir.glob(pattern)})
        for path in paths:
            if path.is_file():
                sha.update(path.relative_to(content_dir).as_posix().encode() + b"\0")
                sha.update(path.read_bytes() + b"\0")
        return sha.hexdigest()


CONTENT_LOADERS: list[ContentLoader] = [
    ContentLoader("scenarios.content.load_scenarios", ("scenarios.yaml",)),
    ContentLoader("scenarios.content.load_rule_packs", ("rules/**/*.yaml",)),
    ContentLoader("scenarios.content.load_roleplays", ("roleplays/*.yaml", "scenarios.yaml")),
    ContentLoader("courses.content.load_courses", ("courses/**/*",)),
    ContentLoader("quizzes.content.load_quizzes", ("quizzes/**/*.yaml", "courses/**/*.yaml")),
    ContentLoader("certificates.content.load_tracks", ("tracks/*.yaml",)),
]


class ContentError(Exception):
    """A bundled content file is malformed; the message names the file and what is wrong."""
