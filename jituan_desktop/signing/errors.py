"""The one exception of the signing package: a refusal with a message for the user."""

from __future__ import annotations


class SigningError(Exception):
    """Signing, loading an identity or verifying was refused; ``str()`` is for the user."""


class WrongPassphrase(SigningError):
    """The passphrase does not open the PKCS#12 file."""


class NotAParty(SigningError):
    """The identity does not belong to the party that is to sign."""


class OutOfOrder(SigningError):
    """Another party has to sign first, or this party has signed already."""


class ChangedAfterSigning(SigningError):
    """An existing signature is broken or the document was changed after it."""
