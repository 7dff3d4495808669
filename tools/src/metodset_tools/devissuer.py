"""Development token issuer: an Ed25519 key pair kept in the data directory, never committed."""
from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from metodset_kit.scope import Principal
from metodset_kit.settings import DEFAULT_AUDIENCE, DEV_ISSUER

KID = "metodset-dev-1"


def data_dir() -> Path:
    """METODSET_DATA_DIR, else `.data` beside the project's `.venv`, else `.data` in the current folder."""
    if os.environ.get("METODSET_DATA_DIR"):
        return Path(os.environ["METODSET_DATA_DIR"]).resolve()
    venv = Path(sys.prefix)
    base = venv.parent if venv.name == ".venv" else Path.cwd()
    return (base / ".data").resolve()


def keys_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "keys"


def ensure_keys(base: Path | None = None) -> Path:
    """Generate the issuer's key pair once; return the path of the public JWKS file.

    Both files are written under temporary names and renamed, the JWKS last, so processes starting
    together never see a private key without its matching public one."""
    folder = keys_dir(base)
    private, jwks = folder / "dev-issuer.pem", folder / "jwks.json"
    if private.exists() and jwks.exists():
        return jwks
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
    public.update({"kid": KID, "use": "sig", "alg": "EdDSA"})
    suffix = f".{os.getpid()}.tmp"
    tmp_private, tmp_jwks = private.with_name(private.name + suffix), jwks.with_name(jwks.name + suffix)
    tmp_private.touch(mode=0o600)
    tmp_private.write_bytes(pem)
    tmp_jwks.write_text(json.dumps({"keys": [public]}, indent=2))
    if private.exists() and jwks.exists():  # another process won the race
        tmp_private.unlink()
        tmp_jwks.unlink()
        return jwks
    os.replace(tmp_private, private)
    os.replace(tmp_jwks, jwks)
    return jwks


def issue(role: str, *, municipality: str | None = None, organisation: str | None = None,
          person: str | None = None, subject: str | None = None, ttl_seconds: int = 12 * 3600, base: Path | None = None,
          audience: str = DEFAULT_AUDIENCE, issuer: str = DEV_ISSUER) -> str:
    ensure_keys(base)
    subject = subject or "-".join(filter(None, ("dev", role, municipality, organisation, person)))  # one per scope
    claims = {"role": role, "sub": subject, "iss": issuer, "aud": audience,
              "iat": int(time.time()), "exp": int(time.time()) + ttl_seconds, "jti": str(uuid.uuid4())}
    if municipality:
        claims["municipality"] = municipality
    if organisation:
        claims["organisation"] = organisation
    if person:
        claims["person"] = person
    Principal.from_claims(claims)  # refuse to mint a token no service would accept
    pem = (keys_dir(base) / "dev-issuer.pem").read_bytes()
    return jwt.encode(claims, serialization.load_pem_private_key(pem, None), algorithm="EdDSA", headers={"kid": KID})
