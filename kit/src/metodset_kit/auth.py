"""JWT bearer authentication against a JWKS (RS256 or EdDSA), as a FastAPI dependency."""
from __future__ import annotations

import json
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status

from .scope import Principal, ScopeError
from .settings import CommonSettings

ALGORITHMS = ["RS256", "EdDSA"]


class TokenVerifier:
    def __init__(self, settings: CommonSettings):
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self._client = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True, lifespan=300) \
            if settings.jwt_jwks_url else None
        self._jwks_file = settings.jwt_jwks_file
        self._keys: list[jwt.PyJWK] = []
        self._read_at: float | None = None

    def _file_keys(self) -> list[jwt.PyJWK]:
        """The JWKS file's keys, read again whenever the file changes (a removed key stops working)."""
        changed = self._jwks_file.stat().st_mtime
        if changed != self._read_at:
            self._keys = list(jwt.PyJWKSet.from_dict(json.loads(self._jwks_file.read_text())).keys)
            self._read_at = changed
        return self._keys

    def _candidate_keys(self, token: str) -> list:
        if self._client is not None:
            return [self._client.get_signing_key_from_jwt(token).key]
        kid = jwt.get_unverified_header(token).get("kid")
        keys = [k.key for k in self._file_keys() if kid is None or k.key_id == kid]
        if not keys:
            raise jwt.InvalidTokenError(f"no key with id {kid!r} in the JWKS")
        return keys

    def verify(self, token: str) -> Principal:
        error: jwt.PyJWTError | None = None
        for key in self._candidate_keys(token):
            try:
                claims = jwt.decode(
                    token, key, algorithms=ALGORITHMS, audience=self.audience, issuer=self.issuer,
                    options={"require": ["exp", "iss", "aud", "sub"]},
                )
            except jwt.InvalidSignatureError as exc:
                error = exc
                continue
            return Principal.from_claims(claims)
        raise error or jwt.InvalidTokenError("no usable key")


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
