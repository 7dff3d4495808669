"""Token checks against a JWKS file, with keys made by the development issuer (no network, no database)."""
import json
import os
import time

import jwt
import pytest

from metodset_kit.auth import TokenVerifier
from metodset_kit.settings import CommonSettings
from metodset_tools import devissuer


@pytest.fixture
def verifier(tmp_path):
    jwks = devissuer.ensure_keys(tmp_path)
    return TokenVerifier(CommonSettings(service_name="t", jwt_jwks_file=jwks)), tmp_path, jwks


def test_a_development_token_is_accepted_with_its_scope(verifier):
    v, base, _ = verifier
    p = v.verify(devissuer.issue("municipal_methodist", municipality="29701000", base=base))
    assert p.role.value == "municipal_methodist" and p.municipality == "29701000"


@pytest.mark.parametrize("change", [{"aud": "someone-else"}, {"iss": "elsewhere"}, {"exp": 1}])
def test_wrong_audience_issuer_or_expiry_is_refused(verifier, change):
    v, base, _ = verifier
    claims = jwt.decode(devissuer.issue("analyst", base=base), options={"verify_signature": False})
    key = jwt.algorithms.OKPAlgorithm.from_jwk(json.dumps(_private_jwk(base)))
    forged = jwt.encode({**claims, **change}, key, algorithm="EdDSA", headers={"kid": devissuer.KID})
    with pytest.raises(jwt.PyJWTError):
        v.verify(forged)


def test_unsigned_and_symmetric_tokens_are_refused(verifier):
    v, base, jwks = verifier
    claims = jwt.decode(devissuer.issue("analyst", base=base), options={"verify_signature": False})
    with pytest.raises(jwt.PyJWTError):
        v.verify(jwt.encode(claims, None, algorithm="none"))
    with pytest.raises(jwt.PyJWTError):
        v.verify(jwt.encode(claims, jwks.read_bytes(), algorithm="HS256", headers={"kid": devissuer.KID}))


def test_a_key_removed_from_the_jwks_stops_working(verifier):
    v, base, jwks = verifier
    token = devissuer.issue("analyst", base=base)
    assert v.verify(token)
    jwks.write_text(json.dumps({"keys": []}))
    later = time.time() + 5
    os.utime(jwks, (later, later))
    with pytest.raises(jwt.PyJWTError):
        v.verify(token)


def _private_jwk(base):
    from cryptography.hazmat.primitives import serialization

    pem = (devissuer.keys_dir(base) / "dev-issuer.pem").read_bytes()
    return json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(serialization.load_pem_private_key(pem, None)))


def test_rs256_tokens_are_accepted_from_a_jwks_too(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    public.update({"kid": "idp-1", "alg": "RS256", "use": "sig"})
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [public]}))
    v = TokenVerifier(CommonSettings(service_name="t", jwt_jwks_file=jwks, jwt_issuer="https://idp.region",
                                     environment="production"))
    token = jwt.encode({"sub": "u1", "role": "analyst", "iss": "https://idp.region", "aud": "metodset",
                        "exp": int(time.time()) + 60}, key, algorithm="RS256", headers={"kid": "idp-1"})
    assert v.verify(token).role.value == "analyst"
