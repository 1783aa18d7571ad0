"""Where each party signs: the contract between the agreement renderer and the signer.

The renderer (``documents``) draws the signature page and reports one box per party; the
signing code (``signing``) turns the boxes into empty PDF signature fields before the first
signature and fills party N's field when party N signs. Parties sign in ``order`` (1, 2, …).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SignatureBox:
    order: int  # 1-based signing order
    party_label: str  # 甲方, 乙方, …
    school_name: str  # the party as printed
    field_name: str  # PDF field name, ASCII: "Party1", "Party2", …
    page: int  # 0-based page index of the signature page
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom-left


def field_name(order: int) -> str:
    return f"Party{order}"
