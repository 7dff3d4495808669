"""JWT bearer authentication against a JWKS (RS256 or EdDSA), as a FastAPI dependency."""
from __future__ import annotations

import json
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status

from .scope import Principal, ScopeError
from .settings import ServiceSettings

ALGORITHMS = ["RS256", "EdDSA"]


class TokenVerifier:
    def __init__(self, settings: ServiceSettings):
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self._client = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True) if settings.jwt_jwks_url else None
        self._jwks_file = settings.jwt_jwks_file
        self._keys: jwt.PyJWKSet | None = None

    def _signing_key(self, token: str):
        if self._client is not None:
            return self._client.get_signing_key_from_jwt(token).key
        kid = jwt.get_unverified_header(token).get("kid")
        for attempt in range(2):  # a key rotated in the file since the last read is picked up once
            if self._keys is None or attempt:
                self._keys = jwt.PyJWKSet.from_dict(json.loads(self._jwks_file.read_text()))
            for key in self._keys.keys:
                if kid is None or key.key_id == kid:
                    return key.key
        raise jwt.InvalidTokenError(f"no key with id {kid!r} in the JWKS")

    def verify(self, token: str) -> Principal:
        claims = jwt.decode(
            token, self._signing_key(token), algorithms=ALGORITHMS, audience=self.audience, issuer=self.issuer,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
        return Principal.from_claims(claims)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("Требуется токен доступа (Authorization: Bearer ...)")
    return token.strip()


def authenticate(request: Request) -> Principal:
    token = bearer_token(request)
    try:
        principal = request.app.state.verifier.verify(token)
    except ScopeError as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"Недостаточно прав: {exc}") from exc
    except jwt.PyJWTError as exc:
        raise _unauthorized(f"Недействительный токен: {exc}") from exc
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


def forbidden(detail: str = "Действие вне вашей области доступа") -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, detail=detail)
