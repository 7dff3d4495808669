"""Checksums of Russian identifiers (ИНН, ОКТМО format)."""
import re

_LEGAL_INN_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_OKTMO = re.compile(r"^[0-9]{8}([0-9]{3})?$")  # ASCII only: \d would take any script's digits


def legal_inn_check_digit(first_nine: str) -> int:
    return sum(int(d) * w for d, w in zip(first_nine, _LEGAL_INN_WEIGHTS, strict=True)) % 11 % 10


def is_valid_legal_inn(inn: str) -> bool:
    """ИНН юридического лица: 10 digits, the last one a checksum of the first nine."""
    return len(inn) == 10 and inn.isascii() and inn.isdigit() and legal_inn_check_digit(inn[:9]) == int(inn[9])


def is_valid_oktmo(code: str) -> bool:
    """ОКТМО: 8 digits for a municipality, 11 for a settlement inside it."""
    return bool(_OKTMO.match(code))
