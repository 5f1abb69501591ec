from typing import Any

from .models import AuditEntry


def record(actor: Any, action: str, target: object = "", **details: Any) -> AuditEntry:
    """Append an entry to the audit log (call it inside the transaction that did the thing)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target=str(target)[:200],
        details=details,
    )
