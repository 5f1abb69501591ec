"""The three roles are groups carrying permissions, so an admin can adjust them without code."""

from django.contrib.auth.models import Group, Permission

LEARNER = "Learner"
TRAINER = "Trainer"
HR = "HR"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    LEARNER: [],
    TRAINER: ["accounts.author_content"],
    HR: ["accounts.view_people", "accounts.manage_certificates"],
}


def ensure_roles() -> dict[str, Group]:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    groups = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [
            Permission.objects.get(
                content_type__app_label=perm.split(".")[0], codename=perm.split(".")[1]
            )
            for perm in perms
        ]
        group.permissions.set(wanted)
        groups[role] = group
    return groups


def assign_role(user, role: str) -> None:  # type: ignore[no-untyped-def]
    group = ensure_roles()[role]
    user.groups.add(group)
