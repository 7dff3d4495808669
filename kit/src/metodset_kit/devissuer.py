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

from .scope import Principal
from .settings import DEFAULT_AUDIENCE, DEV_ISSUER

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
    """Generate the issuer's key pair once; return the path of the public JWKS file."""
    folder = keys_dir(base)
    private, jwks = folder / "dev-issuer.pem", folder / "jwks.json"
    if private.exists() and jwks.exists():
        return jwks
    folder.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    private.touch(mode=0o600)
    private.write_bytes(pem)
    public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
    public.update({"kid": KID, "use": "sig", "alg": "EdDSA"})
    jwks.write_text(json.dumps({"keys": [public]}, indent=2))
    return jwks


def issue(role: str, *, municipality: str | None = None, organisation: str | None = None,
          subject: str | None = None, ttl_seconds: int = 12 * 3600, base: Path | None = None,
          audience: str = DEFAULT_AUDIENCE, issuer: str = DEV_ISSUER) -> str:
    ensure_keys(base)
    claims = {"role": role, "sub": subject or f"dev-{role}", "iss": issuer, "aud": audience,
              "iat": int(time.time()), "exp": int(time.time()) + ttl_seconds, "jti": str(uuid.uuid4())}
    if municipality:
        claims["municipality"] = municipality
    if organisation:
        claims["organisation"] = organisation
    Principal.from_claims(claims)  # refuse to mint a token no service would accept
    pem = (keys_dir(base) / "dev-issuer.pem").read_bytes()
    return jwt.encode(claims, serialization.load_pem_private_key(pem, None), algorithm="EdDSA", headers={"kid": KID})
