"""Open Badges 3.0: each certificate as a signed VC-JWT, and revocation as a status list.

The credential is a W3C Verifiable Credential (OpenBadgeCredential) secured as a compact JWS
with EdDSA (Ed25519), the "VC-JWT" proof format of Open Badges 3.0 §8.2. Revocation is a
W3C Bitstring Status List: bit N of the list is set when certificate N is revoked.

The signing key comes from settings: COURTESY_BADGE_PRIVATE_KEY (PEM text) or
COURTESY_BADGE_KEY_PATH (a PEM file; `manage.py ensure_badge_key` writes one for development).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from .models import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
ISSUER_NAME = "Courtesy 礼声"
# The W3C minimum (16 KiB): a small list would tell how many certificates exist.
STATUS_LIST_MIN_BITS = 131072
# A served status list is fresh for a day, so an old copy cannot un-revoke a certificate.
STATUS_LIST_VALIDITY = timedelta(days=1)
MEDIA_TYPE = "application/vc+jwt"


class BadgeKeyMissing(ImproperlyConfigured):
    """No signing key is configured (run `manage.py ensure_badge_key` in development)."""


def default_key_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "keys" / "badge-ed25519.pem"


def configured_key_path() -> Path:
    configured = getattr(settings, "COURTESY_BADGE_KEY_PATH", "")
    return Path(configured) if configured else default_key_path()


def _key_pem() -> bytes:
    inline = getattr(settings, "COURTESY_BADGE_PRIVATE_KEY", "")
    if inline:
        # Environment variables often carry PEM newlines escaped.
        return inline.replace("\\n", "\n").encode("ascii")
    path = configured_key_path()
    if not path.is_file():
        raise BadgeKeyMissing(
            f"no badge signing key: set COURTESY_BADGE_PRIVATE_KEY or create {path} "
            "with `python manage.py ensure_badge_key`"
        )
    return path.read_bytes()


@lru_cache(maxsize=4)
def _load_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("the badge signing key must be an Ed25519 private key")
    return key


def signing_key() -> Ed25519PrivateKey:
    return _load_key(_key_pem())


def generate_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(key: Ed25519PrivateKey | None = None) -> dict[str, str]:
    """The public key as a JWK (RFC 8037), with its RFC 7638 thumbprint as `kid`."""
    key = key or signing_key()
    raw = key.public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    canonical = json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode("ascii")
    return {**jwk, "kid": _b64url(hashlib.sha256(canonical).digest()), "alg": "EdDSA"}


def public_key_pem() -> bytes:
    return (
        signing_key()
        .public_key()
        .public_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PublicFormat.SubjectPublicKeyInfo,
        )
    )


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def issuer_id() -> str:
    return absolute(reverse("verify:issuer"))


def key_url(kid: str) -> str:
    return absolute(reverse("verify:key", args=[kid]))


def status_list_url() -> str:
    return absolute(reverse("verify:status-list"))


def issuer_profile() -> dict[str, Any]:
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": settings.SITE_URL,
    }


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _achievement(certificate: Certificate) -> dict[str, Any]:
    track = certificate.track
    titles = certificate.track_titles
    return {
        "id": f"urn:courtesy:track:{track.slug}",
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": titles.get(track.language) or certificate.track_title,
        "description": track.descriptions.get(track.language, "") or certificate.track_title,
        "criteria": {"narrative": track.descriptions.get(track.language, "")},
        "inLanguage": track.language,
    }


def _subject(certificate: Certificate) -> dict[str, Any]:
    # No e-mail address in the credential: the name as printed, plus a salted hash of the
    # address so the holder can prove it is theirs without publishing it.
    salt = certificate.verification_code[:16]
    email_hash = hashlib.sha256((certificate.user.email + salt).encode("utf-8")).hexdigest()
    return {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.learner_name,
            },
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": f"sha256${email_hash}",
                "salt": salt,
            },
        ],
        "achievement": _achievement(certificate),
    }


def credential(certificate: Certificate) -> dict[str, Any]:
    """The OpenBadgeCredential with the VC-JWT registered claims alongside (OB 3.0 §8.2.4)."""
    issued, expires = _utc(certificate.issued_at), _utc(certificate.expires_at)
    credential_id = certificate.verify_url
    body: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.track_title_in(certificate.track.language),
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": ISSUER_NAME},
        "validFrom": _iso(issued),
        "validUntil": _iso(expires),
        "credentialSubject": _subject(certificate),
        "credentialSchema": [OB_SCHEMA],
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.pk}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.pk),
            "statusListCredential": status_list_url(),
        },
    }
    return {
        **body,
        "iss": body["issuer"]["id"],
        "jti": credential_id,
        "nbf": int(issued.timestamp()),
        "exp": int(expires.timestamp()),
    }


def _sign(payload: dict[str, Any]) -> str:
    key = signing_key()
    jwk = public_jwk(key)
    headers = {
        "typ": "JWT",
        "kid": key_url(jwk["kid"]),
        "jwk": {name: jwk[name] for name in ("kty", "crv", "x")},
    }
    return jwt.encode(payload, key, algorithm="EdDSA", headers=headers)


def sign_credential(certificate: Certificate) -> str:
    """The certificate as a compact, signed Open Badges 3.0 VC-JWT."""
    return _sign(credential(certificate))


def encode_status_bits(set_indices: set[int] | list[int]) -> tuple[str, int]:
    """Bitstring Status List encodedList: multibase base64url of the GZIP of the bits (MSB
    first). Returns the encoded list and its size in bits."""
    highest = max(set_indices, default=0)
    size = max(STATUS_LIST_MIN_BITS, (highest // 8 + 1) * 8)
    bits = bytearray(size // 8)
    for index in set_indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same revocations give the same bytes.
    return "u" + _b64url(gzip.compress(bytes(bits), mtime=0)), size


def status_list_credential(revoked_ids: set[int] | list[int], now: datetime) -> dict[str, Any]:
    encoded, _size = encode_status_bits(revoked_ids)
    url = status_list_url()
    now = _utc(now)
    body = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": _iso(now),
        "validUntil": _iso(now + STATUS_LIST_VALIDITY),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
    return {**body, "iss": body["issuer"], "jti": url, "nbf": int(now.timestamp())}


def sign_status_list(revoked_ids: set[int] | list[int], now: datetime) -> str:
    return _sign(status_list_credential(revoked_ids, now))
