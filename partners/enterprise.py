"""Belgian enterprise numbers (ondernemingsnummer, KBO/BCE).

Ten digits, the first 0 or 1; the last two are check digits: 97 - (first eight mod 97).
"""

import re

_DIGITS = re.compile(r"\D")


def normalise_enterprise_number(value: str) -> str:
    """Strip 'BE', dots, spaces; pad a 9-digit legacy number with a leading 0."""
    digits = _DIGITS.sub("", value.upper().removeprefix("BE"))
    if len(digits) == 9:
        digits = "0" + digits
    return digits


def enterprise_check_digits(first_eight: str) -> str:
    return f"{97 - int(first_eight) % 97:02d}"


def is_valid_enterprise_number(value: str) -> bool:
    digits = normalise_enterprise_number(value)
    if len(digits) != 10 or digits[0] not in "01":
        return False
    return enterprise_check_digits(digits[:8]) == digits[8:]


def format_enterprise_number(digits: str) -> str:
    """0123.456.749 -- the notation the KBO uses."""
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
