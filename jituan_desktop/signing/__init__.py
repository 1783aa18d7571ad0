"""Signing identities, PAdES signatures and their verification (pyHanko; imported lazily)."""
