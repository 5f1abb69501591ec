"""Permission lookups kept in the shared cache.

Every page asks what the signed-in person may do (the navigation shows the studio and the
HR board only to those allowed), and Django's ModelBackend answers with two queries per
request. Here the answer is kept in the cache under a version that any change to users'
groups, users' permissions or groups' permissions moves on, so a revoked permission stops
working on the next request, on every web process alike.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate
from django.dispatch import receiver

from .models import User

logger = logging.getLogger(__name__)

VERSION_KEY = "accounts:permissions-version"
CACHE_SECONDS = 15 * 60


def _user_key(user: Any) -> str:
    # The superuser flag grants every permission, so it is part of the key; so is when the
    # account was made, so that an id a test database hands out again never inherits answers.
    joined = user.date_joined.timestamp() if user.date_joined else 0
    return f"accounts:permissions:{user.pk}:{int(user.is_superuser)}:{joined}"


def forget_all_permissions() -> None:
    """Every cached answer is stale from now on (old entries simply expire). Callers that
    write users' groups or permissions around the ORM's signals (bulk inserts) call it.
    Nothing to do when this backend is not in use (no Redis)."""
    if f"{__name__}.CachedPermissionsBackend" not in settings.AUTHENTICATION_BACKENDS:
        return
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # Redis away (its restart forgets every entry anyway) or no cache table yet
        logger.warning("could not reset the permission cache", exc_info=True)


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose answer to "all permissions of this user" comes from the cache:
    one cache round trip instead of two queries."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            try:
                permissions = self._cached_permissions(user_obj)
            except Exception:  # Redis away: the database answers, the page still works
                logger.warning("permission cache unavailable", exc_info=True)
                return super().get_all_permissions(user_obj)
            # ModelBackend's own per-request memo: the other backends read it too.
            user_obj._perm_cache = set(permissions)
        return set(user_obj._perm_cache)

    def _cached_permissions(self, user_obj: Any) -> frozenset[str]:
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
            return frozenset(cached[1])
        permissions = frozenset(super().get_all_permissions(user_obj))
        cache.set(key, (version, permissions), CACHE_SECONDS)
        return permissions


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def _permissions_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _forget_after_commit()


@receiver(post_delete, sender=Group)
@receiver(post_delete, sender=Permission)  # its links to users and groups go with it
def _group_deleted(sender: Any, **kwargs: Any) -> None:
    _forget_after_commit()


@receiver(post_migrate)
def _migrated(sender: Any, **kwargs: Any) -> None:
    # Data migrations change roles through historical models, which send no signals above.
    forget_all_permissions()


def _forget_after_commit() -> None:
    # Now and again once committed: a request that read the old rows between the two
    # would otherwise keep them under the new version.
    forget_all_permissions()
    transaction.on_commit(forget_all_permissions)
