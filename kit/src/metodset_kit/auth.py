"""JWT bearer authentication against a JWKS (RS256 or EdDSA): the guard middleware checks the token before the
body is read (kit/guard.py); the `authenticate` dependency hands the principal it found to the endpoints."""
from __future__ import annotations

import json
from typing import Annotated

import anyio
import jwt
from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import HTTPBearer

from .scope import Principal, ScopeError
from .settings import CommonSettings

ALGORITHMS = ["RS256", "EdDSA"]
MISSING = "Требуется токен доступа (Authorization: Bearer ...)"
# What a token may fail with besides PyJWT's own errors: a key of another type (TypeError), bad base64 or a
# header that is not JSON (ValueError, UnicodeError), claims of unexpected types (TypeError, AttributeError).
_MALFORMED = (ValueError, TypeError, KeyError, AttributeError, UnicodeError, OverflowError)


class TokenVerifier:
    def __init__(self, settings: CommonSettings):
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self._client = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True, lifespan=300) \
            if settings.jwt_jwks_url else None
        self._jwks_file = settings.jwt_jwks_file
        self._keys: list[jwt.PyJWK] = []
        self._read_at: float | None = None

    @property
    def may_block(self) -> bool:
        """Whether a verification may wait for the network (a JWKS URL): then it runs in a thread."""
        return self._client is not None

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
            raise jwt.InvalidTokenError(f"no key with id {str(kid)[:40]!r} in the JWKS")
        return keys

    def verify(self, token: str) -> Principal:
        """The token's principal; any flaw of the token is a jwt.InvalidTokenError, a bad scope a ScopeError."""
        try:
            return self._verify(token)
        except (ScopeError, jwt.PyJWTError):
            raise
        except _MALFORMED as exc:
            raise jwt.InvalidTokenError(f"malformed token ({type(exc).__name__})") from exc

    def _verify(self, token: str) -> Principal:
        error: Exception | None = None
        for key in self._candidate_keys(token):
            try:
                claims = jwt.decode(
                    token, key, algorithms=ALGORITHMS, audience=self.audience, issuer=self.issuer,
                    options={"require": ["exp", "iss", "aud", "sub"]},
                )
            except (jwt.InvalidSignatureError, TypeError, jwt.InvalidKeyError) as exc:
                error = exc  # signed by another key, or for another key type: try the next key
                continue
            return Principal.from_claims(claims)
        if isinstance(error, jwt.PyJWTError):
            raise error
        raise jwt.InvalidTokenError("no key of the JWKS verifies the token") from error


class AuthRefused(Exception):
    """Why a request's token is refused: 401 (no usable token) or 403 (a token without a usable scope)."""

    def __init__(self, status_code: int, detail: str):
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"} if self.status_code == 401 else {}


def token_of(header: str) -> str:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthRefused(status.HTTP_401_UNAUTHORIZED, MISSING)
    return token.strip()


def principal_of(verifier: TokenVerifier, header: str) -> Principal:
    """The principal of an Authorization header, or AuthRefused."""
    token = token_of(header)
    try:
        return verifier.verify(token)
    except ScopeError as exc:
        raise AuthRefused(status.HTTP_403_FORBIDDEN, f"Недостаточно прав: {exc}") from exc
    except jwt.PyJWTError as exc:
        raise AuthRefused(status.HTTP_401_UNAUTHORIZED, f"Недействительный токен: {str(exc)[:200]}") from exc


async def verified(verifier: TokenVerifier, header: str) -> Principal:
    """`principal_of` without blocking the event loop: a verifier that may fetch its JWKS does so in a thread."""
    if verifier.may_block:
        return await anyio.to_thread.run_sync(principal_of, verifier, header)
    return principal_of(verifier, header)


def bearer_token(request: Request) -> str:
    try:
        return token_of(request.headers.get("authorization", ""))
    except AuthRefused as exc:
        raise HTTPException(exc.status_code, detail=exc.detail, headers=exc.headers) from None


# Declares the bearer scheme in OpenAPI, so that /docs offers "Authorize"; the token is read below.
_BEARER = HTTPBearer(auto_error=False, description="Токен доступа (JWT) / access token: `metodset token`")


async def authenticate(request: Request, _: Annotated[object, Security(_BEARER)] = None) -> Principal:
    """The caller: the one the guard middleware verified, or (on a path it left open) verified here.

    A coroutine, so that FastAPI does not hand every request to a worker thread for a look at its state."""
    found = getattr(request.state, "principal", None)
    if isinstance(found, Principal):
        return found
    try:
        principal = await verified(request.app.state.verifier, request.headers.get("authorization", ""))
    except AuthRefused as exc:
        raise HTTPException(exc.status_code, detail=exc.detail, headers=exc.headers) from exc
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


def forbidden(detail: str = "Действие вне вашей области доступа") -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, detail=detail)
