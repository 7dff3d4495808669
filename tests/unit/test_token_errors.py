"""Any flaw of a token is an InvalidTokenError (a 401 at the HTTP entry), never another exception (a 500)."""
import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from metodset_kit.auth import AuthRefused, TokenVerifier, principal_of
from metodset_kit.settings import CommonSettings
from metodset_tools import devissuer


@pytest.fixture
def setup(tmp_path):
    jwks = devissuer.ensure_keys(tmp_path)
    return TokenVerifier(CommonSettings(service_name="t", jwt_jwks_file=jwks)), tmp_path, jwks


def _claims(base) -> dict:
    return jwt.decode(devissuer.issue("regional_coordinator", base=base), options={"verify_signature": False})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _foreign_rs256(claims: dict, kid: str | None = devissuer.KID) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid} if kid else None)


def _tokens(base, jwks) -> dict[str, str]:
    claims = _claims(base)
    body = _b64(json.dumps(claims).encode())
    return {
        "foreign RS256, our kid": _foreign_rs256(claims),
        "foreign RS256, no kid": _foreign_rs256(claims, kid=None),
        "HS256": jwt.encode(claims, b"a shared secret of thirty-two bytes!", algorithm="HS256",
                            headers={"kid": devissuer.KID}),
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "garbage": "garbage",
        "three dots of garbage": "a.b.c",
        "header not JSON": f"{_b64(b'not json')}.{body}.{_b64(b'sig')}",
        "header a JSON list": f"{_b64(b'[1, 2]')}.{body}.{_b64(b'sig')}",
        "kid of wrong type": f"{_b64(json.dumps({'alg': 'EdDSA', 'kid': {'a': 1}}).encode())}.{body}.{_b64(b's')}",
        "unknown algorithm": f"{_b64(json.dumps({'alg': 'XX512', 'kid': devissuer.KID}).encode())}.{body}.{_b64(b's')}",
        "bad base64": "!!!.***.$$$",
        "non-UTF-8 header": f"{_b64(bytes([0xff, 0xfe, 0x00]))}.{body}.{_b64(b'sig')}",
    }


@pytest.mark.parametrize("name", [
    "foreign RS256, our kid", "foreign RS256, no kid", "HS256", "alg none", "garbage",
    "three dots of garbage", "header not JSON", "header a JSON list", "kid of wrong type", "unknown algorithm",
    "bad base64", "non-UTF-8 header"])
def test_a_flawed_token_is_an_invalid_token_error_and_a_401(setup, name):
    verifier, base, jwks = setup
    token = _tokens(base, jwks)[name]
    with pytest.raises(jwt.InvalidTokenError):
        verifier.verify(token)
    with pytest.raises(AuthRefused) as refused:
        principal_of(verifier, f"Bearer {token}")
    assert refused.value.status_code == 401 and refused.value.headers == {"WWW-Authenticate": "Bearer"}


def test_claims_of_unexpected_types_are_refused_not_crashed(setup):
    verifier, base, _ = setup
    from tests.unit.test_auth import _private_jwk

    key = jwt.algorithms.OKPAlgorithm.from_jwk(json.dumps(_private_jwk(base)))
    claims = {**_claims(base), "role": ["regional_coordinator"], "exp": int(time.time()) + 60}
    token = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": devissuer.KID})
    with pytest.raises(AuthRefused) as refused:
        principal_of(verifier, f"Bearer {token}")
    assert refused.value.status_code in (401, 403)


def test_a_good_token_still_passes(setup):
    verifier, base, _ = setup
    assert principal_of(verifier, f"Bearer {devissuer.issue('analyst', base=base)}").role.value == "analyst"
