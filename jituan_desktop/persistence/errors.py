"""Known storage problems that the user can act on (as opposed to bugs)."""

from __future__ import annotations


class StorageError(Exception):
    """A problem with the data folder or database, with a message for the user."""


class NewerDatabaseError(StorageError):
    pass


class NotADatabaseError(StorageError):
    pass


class DataDirError(StorageError):
    pass


class MigrationFailed(StorageError):
    pass
