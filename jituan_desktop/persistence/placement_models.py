"""Tables of the placement records (imported at the end of models.py so Base.metadata has them)."""

from __future__ import annotations

from jituan_desktop.persistence.models import Base  # noqa: F401
