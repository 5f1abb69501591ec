"""Permission lookups kept in the shared cache.

Every page asks what the signed-in person may do (the navigation shows the studio and the
HR board only to those allowed), and Django's ModelBackend answers with two queries per
request. Here the answer is kept in the cache under a version that any change to users'
groups, users' permissions or groups' permissions moves on, so a revoked permission stops
working on the next request, on every web process alike.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver

from .models import User

VERSION_KEY = "accounts:permissions-version"
CACHE_SECONDS = 15 * 60


def _user_key(user: Any) -> str:
    # The superuser flag grants every permission, so it is part of the key; so is when the
    # account was made, so that an id a test database hands out again never inherits answers.
    joined = user.date_joined.timestamp() if user.date_joined else 0
    return f"accounts:permissions:{user.pk}:{int(user.is_superuser)}:{joined}"


def forget_all_permissions() -> None:
    """Every cached answer is stale from now on (old entries simply expire)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose answer to "all permissions of this user" comes from the cache:
    one cache round trip instead of two queries."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = _user_key(user_obj)
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            if version is None:
                version = uuid.uuid4().hex
                # add(), not set(): processes starting together agree on one version.
                if not cache.add(VERSION_KEY, version, timeout=None):
                    version = cache.get(VERSION_KEY, version)
            cached = found.get(key)
            if cached is not None and cached[0] == version:
                permissions = cached[1]
            else:
                permissions = super().get_all_permissions(user_obj)
                cache.set(key, (version, frozenset(permissions)), CACHE_SECONDS)
            # ModelBackend's own per-request memo: the other backends read it too.
            user_obj._perm_cache = set(permissions)
        return set(user_obj._perm_cache)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def _permissions_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _forget_after_commit()


@receiver(post_delete, sender=Group)
def _group_deleted(sender: Any, **kwargs: Any) -> None:
    _forget_after_commit()


def _forget_after_commit() -> None:
    # Now and again once committed: a request that read the old rows between the two
    # would otherwise keep them under the new version.
    forget_all_permissions()
    transaction.on_commit(forget_all_permissions)
