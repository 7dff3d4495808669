"""Verification codes: 12 characters of Crockford's base32 from the OS's CSPRNG (60 bits), shown as XXXX-XXXX-XXXX.

60 random bits cannot be guessed (a million guesses a second find one of a million valid codes in ~36 years on
average) and are short enough to type from paper. Crockford's alphabet has no I, L, O, U; reading a code back
is lenient as the alphabet intends (case, hyphens and spaces ignored, I/L read as 1, O as 0).

Only the SHA-256 digest of a code is stored and looked up: a copy of the table does not hand out valid codes,
and the index lookup compares digests, so its timing tells nothing about how close a guess was. An unsalted
digest is enough here: the code itself carries 60 random bits, there is nothing to brute-force by dictionary."""
from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    """A new code in canonical form (12 characters, no hyphens)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, LENGTH, 4))


def normalise(text: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be a code (nothing to look up)."""
    if len(text) > 3 * LENGTH:
        return None
    code = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def digest(code: str) -> bytes:
    return hashlib.sha256(code.encode("ascii")).digest()
