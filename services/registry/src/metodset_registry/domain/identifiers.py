"""Russian identifiers (ИНН, ОГРН, ОКТМО): their shapes and checksums, defined once for the registry."""
import operator
import re

# ASCII digits only: \d would take any script's digits
OKTMO_PATTERN = r"^[0-9]{8}([0-9]{3})?$"
LEGAL_INN_PATTERN = r"^[0-9]{10}$"
OGRN_PATTERN = r"^[0-9]{13}$"

_LEGAL_INN_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_ASCII_ZEROS = ord("0") * sum(_LEGAL_INN_WEIGHTS)  # the weighted sum of "000000000" as bytes
_OKTMO = re.compile(OKTMO_PATTERN)
_LEGAL_INN = re.compile(LEGAL_INN_PATTERN)
_OGRN = re.compile(OGRN_PATTERN)

INN_SHAPE = "ИНН юридического лица — 10 цифр / INN must be 10 digits"
INN_CHECKSUM = "ИНН не проходит проверку контрольного числа / INN checksum is wrong"
INN_ZEROS = "ИНН не может состоять из одних нулей / INN of zeros is not an identifier"
OGRN_SHAPE = "ОГРН — 13 цифр / OGRN must be 13 digits"
OGRN_CHECKSUM = "ОГРН не проходит проверку контрольного числа / OGRN checksum is wrong"
OGRN_ZEROS = "ОГРН не может состоять из одних нулей / OGRN of zeros is not an identifier"


def legal_inn_check_digit(first_nine: str) -> int:
    """The tenth digit of a legal entity's ИНН: the weighted sum of the first nine mod 11 mod 10 (ASCII digits)."""
    # weighted over the bytes and the zeros' share taken off once: int() per digit cost twice as much
    return (sum(map(operator.mul, first_nine.encode("ascii"), _LEGAL_INN_WEIGHTS)) - _ASCII_ZEROS) % 11 % 10


def ogrn_check_digit(first_twelve: str) -> int:
    return int(first_twelve) % 11 % 10


def legal_inn_problem(inn: str) -> str | None:
    """Why this is not the ИНН of a legal entity (10 digits, the last a checksum of the first nine), or None."""
    if not _LEGAL_INN.fullmatch(inn):
        return INN_SHAPE
    if inn.startswith("000000000"):  # its checksum is 0 too: the sum alone does not catch it
        return INN_ZEROS
    if legal_inn_check_digit(inn[:9]) != int(inn[9]):
        return INN_CHECKSUM
    return None


def ogrn_problem(ogrn: str) -> str | None:
    """Why this is not an ОГРН (13 digits, the last the first twelve mod 11 mod 10), or None."""
    if not _OGRN.fullmatch(ogrn):
        return OGRN_SHAPE
    if set(ogrn[:12]) == {"0"}:
        return OGRN_ZEROS
    if ogrn_check_digit(ogrn[:12]) != int(ogrn[12]):
        return OGRN_CHECKSUM
    return None


def is_valid_legal_inn(inn: str) -> bool:
    return legal_inn_problem(inn) is None


def is_valid_ogrn(ogrn: str) -> bool:
    return ogrn_problem(ogrn) is None


def is_valid_oktmo(code: str) -> bool:
    """ОКТМО: 8 digits for a municipality, 11 for a settlement inside it."""
    return bool(_OKTMO.fullmatch(code))


SNILS_SHAPE = "СНИЛС — 11 цифр (ХХХ-ХХХ-ХХХ YY) / SNILS must be 11 digits"
SNILS_CHECKSUM = "СНИЛС не проходит проверку контрольного числа / SNILS checksum is wrong"
SNILS_ZEROS = "СНИЛС не может состоять из одних нулей / SNILS of zeros is not an identifier"
_SNILS_FORMATTED = re.compile(r"^[0-9]{3}-[0-9]{3}-[0-9]{3}[ -][0-9]{2}$")
_SNILS_DIGITS = re.compile(r"^[0-9]{11}$")
_SNILS_CHECKED_ABOVE = 1001998  # numbers up to 001-001-998 were issued before the checksum


def snils_check_number(first_nine: str) -> int:
    """Weights 9..1 on the first nine digits; under 100 the sum itself, 100 and 101 give 00, above: mod 101."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(9, 0, -1), strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    return total % 101 % 100  # a remainder of 100 is written 00


def normalise_snils(text: str) -> str | None:
    """The 11 digits of a СНИЛС written as digits or as «ХХХ-ХХХ-ХХХ YY»; None when it has neither shape."""
    text = text.strip()
    if _SNILS_DIGITS.fullmatch(text):
        return text
    if _SNILS_FORMATTED.fullmatch(text):
        return text.replace("-", "").replace(" ", "")
    return None


def format_snils(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"


def snils_problem(snils: str) -> str | None:
    """Why this is not a СНИЛС (11 digits, the last two a checksum of the first nine), or None."""
    digits = normalise_snils(snils)
    if digits is None:
        return SNILS_SHAPE
    if set(digits) == {"0"}:
        return SNILS_ZEROS
    if int(digits[:9]) > _SNILS_CHECKED_ABOVE and snils_check_number(digits[:9]) != int(digits[9:]):
        return SNILS_CHECKSUM
    return None
