"""The attachment store: files kept by content in the data folder's ``attachments`` folder.

A file is stored as ``attachments/ab/abcdef….ext`` (its SHA-256, the original extension so the
system viewer opens it with the right program). Storing streams the file in chunks: it is
hashed while it is copied to a temporary name in the store, flushed to disk and renamed to its
final name, so a power cut never leaves half a file under a real name. The same content is
stored once, however often and under whatever name it is attached. The records only hold the
hash, the original name and the size; moving or deleting the original file afterwards loses
nothing.

Order of writes: the file first, then the attachment row in one transaction. A failure
between the two leaves a stored file no row refers to: harmless (it is found again by its hash
when the same file is attached later) and never shown to the user.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from jituan_desktop.domain.research import MAX_ATTACHMENT_BYTES, stored_extension
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _, format_number

CHUNK_BYTES = 1024 * 1024
ProgressFn = Callable[[int, int], None]


def attachment_error(message: str) -> ValidationError:
    return ValidationError(ValidationReport({"file": message}))


def size_text(size: int) -> str:
    """A file size for people: 1.5 MB, 320 KB."""
    if size >= 1024 * 1024:
        return _("{n} MB").format(n=format_number(round(size / (1024 * 1024), 1)))
    if size >= 1024:
        return _("{n} KB").format(n=format_number(round(size / 1024)))
    return _("{n} bytes").format(n=format_number(size))


class AttachmentStore:
    def __init__(self, root: Path, max_bytes: int = MAX_ATTACHMENT_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path_for(self, sha256: str, file_name: str) -> Path:
        return self.root / sha256[:2] / (sha256 + stored_extension(file_name))

    def exists(self, sha256: str, file_name: str) -> bool:
        return self.path_for(sha256, file_name).is_file()

    def check_source(self, source: Path) -> int:
        """The size of a file that may be attached; ``ValidationError`` with a clear message
        when it is missing, not a file, unreadable or too large (checked before copying)."""
        try:
            if not source.exists():
                raise attachment_error(_("The file {file} was not found. It may have been "
                                         "moved, renamed or deleted.").format(file=source))
            if not source.is_file():
                raise attachment_error(_("{file} is a folder, not a file.").format(
                    file=source))
            size = source.stat().st_size
            with source.open("rb") as f:
                f.read(1)
        except PermissionError as exc:
            raise attachment_error(_("There is no permission to read the file {file}.")
                                   .format(file=source)) from exc
        except OSError as exc:
            raise attachment_error(_("The file {file} could not be read.").format(
                file=source)) from exc
        if size > self.max_bytes:
            raise attachment_error(_(
                "{file} is {size}; attachments can be at most {max}. Store big files such as "
                "lesson videos elsewhere and attach a photo or a note instead.").format(
                    file=source.name, size=size_text(size), max=size_text(self.max_bytes)))
        return size

    def store(self, source: Path, progress: ProgressFn | None = None) -> tuple[str, int]:
        """Copy ``source`` into the store; its SHA-256 and size. ``progress(done, total)`` is
        called after each chunk and may raise (cancellation): the temporary file is removed.
        A file whose content is already stored is not written twice."""
        total = self.check_source(source)
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming.", suffix=".part")
        tmp = Path(tmp_name)
        done = 0
        try:
            try:
                with os.fdopen(fd, "wb") as out, source.open("rb") as inp:
                    while chunk := inp.read(CHUNK_BYTES):
                        digest.update(chunk)
                        out.write(chunk)
                        done += len(chunk)
                        if done > self.max_bytes:  # the file grew while it was copied
                            raise attachment_error(_("{file} is larger than {max}.").format(
                                file=source.name, max=size_text(self.max_bytes)))
                        if progress:
                            progress(done, max(total, done))
                    out.flush()
                    os.fsync(out.fileno())
            except OSError as exc:
                raise attachment_error(_("The file {file} could not be copied into the "
                                         "attachment store: {error}").format(
                                             file=source.name, error=exc.strerror or exc)) \
                    from exc
            sha256 = digest.hexdigest()
            target = self.path_for(sha256, source.name)
            if target.is_file() and target.stat().st_size == done:
                tmp.unlink()  # the same content is stored already
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
            return sha256, done
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def store_bytes(self, data: bytes, file_name: str) -> tuple[str, int]:
        """Store generated content (the demo's pictures and notes)."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha256, file_name)
        if not target.is_file():
            from jituan_desktop.atomic import write_bytes_atomic

            write_bytes_atomic(target, data)
        return sha256, len(data)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
