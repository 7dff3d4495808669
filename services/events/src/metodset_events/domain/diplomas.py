"""What every diploma shares (pure): scores written the Russian way."""
from __future__ import annotations

from decimal import Decimal


def score_text(score: Decimal) -> str:
    """«37,5», «40»"""
    return f"{score.normalize():f}".replace(".", ",")
