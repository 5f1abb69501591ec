"""Each certificate downloads as an Open Badges 3.0 credential that a standard library verifies.

openbadgeslib (an independent OB 3.0 implementation) checks the EdDSA signature, the
credential's structure and registered claims, its validity window and, through our status
list endpoint, whether it is revoked.
"""

import json
from datetime import timedelta
from urllib.parse import urlsplit

import jwt
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier

from certificates import badges, services
from tests.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(db):  # type: ignore[no-untyped-def]
    return CertificateFactory(user=UserFactory(name="李小满", email="li@example.com"))


def download_badge(client, certificate) -> str:  # type: ignore[no-untyped-def]
    client.force_login(certificate.user)
    response = client.get(reverse("certificates:badge", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def fetch_from_site(client):  # type: ignore[no-untyped-def]
    """What a verifier's HTTP client does, answered by this site."""

    def download(url: str) -> bytes:
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        return response.content

    return download


def verifier() -> OB3Verifier:
    return OB3Verifier(pubkey_pem=badges.public_key_pem())


def test_the_badge_verifies_with_a_standard_library(client, certificate):
    token = download_badge(client, certificate)

    credential = verifier().verify(
        token, check_status=True, verify_status_list=True, download=fetch_from_site(client)
    )

    assert credential.achievement.name == "电话礼仪认证(一级)"
    assert credential.issuer.id == badges.issuer_id()
    assert credential.id == certificate.verify_url
    names = [i.identity_hash for i in credential.identifiers if i.identity_type == "name"]
    assert names == ["李小满"]
    assert credential.expiration_date is not None


def test_it_is_signed_with_ed25519_and_names_its_key(client, certificate):
    token = download_badge(client, certificate)

    header = jwt.get_unverified_header(token)
    key = client.get(urlsplit(header["kid"]).path).json()

    assert header["alg"] == "EdDSA"
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["x"] == header["jwk"]["x"]
    public = jwt.PyJWK(key).key
    claims = jwt.decode(token, public, algorithms=["EdDSA"])
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_the_badge_carries_no_email_address(client, certificate):
    token = download_badge(client, certificate)

    claims = jwt.decode(token, options={"verify_signature": False})

    assert "li@example.com" not in str(claims)


def test_a_tampered_badge_fails(client, certificate):
    token = download_badge(client, certificate)
    header, payload, signature = token.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "王大锤"
    forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()

    with pytest.raises(OB3VerificationError, match="signature"):
        verifier().verify(f"{header}.{forged}.{signature}")


def test_revocation_shows_in_the_status_list(client, certificate, hr):
    token = download_badge(client, certificate)
    services.revoke_certificate(certificate=certificate, actor=hr, reason="违规")

    with pytest.raises(OB3VerificationError, match="revocation"):
        verifier().verify(
            token, check_status=True, verify_status_list=True, download=fetch_from_site(client)
        )


def test_the_status_list_changes_only_the_revoked_bit(client, certificate, hr):
    other = CertificateFactory()
    services.revoke_certificate(certificate=certificate, actor=hr, reason="违规")

    token = download_badge(client, other)

    verifier().verify(
        token, check_status=True, verify_status_list=True, download=fetch_from_site(client)
    )


def test_an_expired_certificate_no_longer_verifies(client, certificate):
    certificate.issued_at = timezone.now() - timedelta(days=400)
    certificate.expires_at = timezone.now() - timedelta(days=35)
    certificate.save()

    with pytest.raises(OB3VerificationError, match="expired"):
        verifier().verify(download_badge(client, certificate))


def test_the_issuer_profile_and_an_unknown_key(client):
    profile = client.get(reverse("verify:issuer")).json()

    assert profile["type"] == ["Profile"] and profile["id"] == badges.issuer_id()
    assert client.get(reverse("verify:key", args=["nope"])).status_code == 404


def test_without_a_key_the_download_explains_itself(client, certificate, settings, tmp_path):
    settings.COURTESY_BADGE_PRIVATE_KEY = ""
    settings.COURTESY_BADGE_KEY_PATH = str(tmp_path / "missing.pem")
    client.force_login(certificate.user)

    response = client.get(reverse("certificates:badge", args=[certificate.pk]))

    assert response.status_code == 503


def test_ensure_badge_key_writes_a_private_key_once(settings, tmp_path, capsys):
    settings.COURTESY_BADGE_PRIVATE_KEY = ""
    settings.COURTESY_BADGE_KEY_PATH = str(tmp_path / "keys" / "badge.pem")

    call_command("ensure_badge_key")
    first = (tmp_path / "keys" / "badge.pem").read_bytes()
    call_command("ensure_badge_key")

    assert (tmp_path / "keys" / "badge.pem").read_bytes() == first
    assert oct((tmp_path / "keys" / "badge.pem").stat().st_mode & 0o777) == "0o600"
    assert badges.signing_key() is not None
    assert "exists" in capsys.readouterr().out
