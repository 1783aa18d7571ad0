"""Tables of the agreement records (imported at the end of models.py so Base.metadata has them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jituan_desktop.domain.agreements import (
    AGREEMENT_LIMITS,
    INDICATOR_LIMITS,
    PARTY_LIMITS,
    TASK_LIMITS,
)
from jituan_desktop.persistence.models import Base, SoftDelete, Timestamps

# ---- cooperation agreements (documents side) ---------------------------------------------------
# Parties, indicators and tasks belong to their agreement: they are rewritten as a whole when the
# agreement is saved, and go to the recycle bin with it (no deleted_at of their own).


class AgreementRow(Timestamps, SoftDelete, Base):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    number: Mapped[str] = mapped_column(String(AGREEMENT_LIMITS["number"]))
    title: Mapped[str] = mapped_column(String(AGREEMENT_LIMITS["title"]))
    profile_id: Mapped[str] = mapped_column(String(AGREEMENT_LIMITS["profile_id"]))
    model_label: Mapped[str] = mapped_column(String(AGREEMENT_LIMITS["model_label"]))
    scope: Mapped[str] = mapped_column(String(10))
    term_start: Mapped[dt.date | None] = mapped_column(Date)
    term_end: Mapped[dt.date | None] = mapped_column(Date)
    goals: Mapped[str] = mapped_column(Text, default="")
    funding_fen: Mapped[int] = mapped_column(Integer, default=0)  # money as integer fen
    funding_text: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    copies: Mapped[int] = mapped_column(Integer, default=3)
    filing_authority: Mapped[str] = mapped_column(String(AGREEMENT_LIMITS["filing_authority"]),
                                                  default="")
    signing_place: Mapped[str] = mapped_column(String(AGREEMENT_LIMITS["signing_place"]),
                                               default="")
    signing_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="draft")


class AgreementPartyRow(Base):
    __tablename__ = "agreement_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"),
                                              index=True)
    order: Mapped[int] = mapped_column("signing_order", Integer)  # 1..n = signing order
    label: Mapped[str] = mapped_column(String(PARTY_LIMITS["label"]))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    representative: Mapped[str] = mapped_column(String(PARTY_LIMITS["representative"]),
                                                default="")
    representative_title: Mapped[str] = mapped_column(
        String(PARTY_LIMITS["representative_title"]), default="")


class AgreementIndicatorRow(Base):
    __tablename__ = "agreement_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"),
                                              index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(INDICATOR_LIMITS["name"]))
    unit: Mapped[str] = mapped_column(String(INDICATOR_LIMITS["unit"]), default="")
    baseline: Mapped[str] = mapped_column(String(INDICATOR_LIMITS["baseline"]), default="")
    target: Mapped[str] = mapped_column(String(INDICATOR_LIMITS["target"]), default="")
    due: Mapped[str] = mapped_column(String(INDICATOR_LIMITS["due"]), default="")


class AgreementTaskRow(Base):
    __tablename__ = "agreement_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"),
                                              index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    heading: Mapped[str] = mapped_column(String(TASK_LIMITS["heading"]))
    text: Mapped[str] = mapped_column(Text, default="")

# ---- end of the documents side; signing identities follow --------------------------------------


class SigningIdentityRow(Timestamps, SoftDelete, Base):
    """A school's signing identity: certificate metadata only. The key stays in the PKCS#12 file
    ``identities/<p12_file>`` of the data folder; the passphrase is never stored. A row without
    a p12 file is another school's certificate, imported so its signatures count as known."""

    __tablename__ = "signing_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256, hex
    subject: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[dt.datetime] = mapped_column(DateTime)
    valid_to: Mapped[dt.datetime] = mapped_column(DateTime)
    p12_file: Mapped[str | None] = mapped_column(String(100), default=None)
    certificate_pem: Mapped[str] = mapped_column(Text)
