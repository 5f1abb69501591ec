"""The order in which `load_content` loads each app's bundled content.

Scenarios and rule packs come first because quizzes, role-plays and lessons point at them.
Each loader takes the content folder, is idempotent, and returns a one-line summary.
"""

CONTENT_LOADERS: list[str] = [
    "scenarios.content.load_scenarios",
    "scenarios.content.load_rule_packs",
    "courses.content.load_courses",
    "quizzes.content.load_quizzes",
    "certificates.content.load_tracks",
]


class ContentError(Exception):
    """A bundled content file is malformed; the message names the file and what is wrong."""
