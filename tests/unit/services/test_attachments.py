"""The attachment store and attachments of research sessions: hashed, stored once, checked
before copying, never half-written, and kept when the original file moves."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.persistence.research_models import ResearchAttachmentRow
from jituan_desktop.services.attachments import AttachmentStore
from jituan_desktop.ui.tasks import Cancelled
from tests.unit.services.test_research_fixtures import build_world, session


@pytest.fixture
def saved(services, add_school, add_group, join):
    world = build_world(services, add_school, add_group, join)
    first, _ = services.research.save(session(world))
    return first


def rows(services) -> int:
    with services.db.reading() as s:
        return s.scalar(select(func.count()).select_from(ResearchAttachmentRow))


def test_a_file_is_stored_under_its_sha256_with_its_extension(tmp_path) -> None:
    source = tmp_path / "照片.JPG"
    source.write_bytes(b"x" * 3_000_000)  # several chunks
    store = AttachmentStore(tmp_path / "attachments")
    sha256, size = store.store(source)
    assert sha256 == hashlib.sha256(source.read_bytes()).hexdigest() and size == 3_000_000
    stored = tmp_path / "attachments" / sha256[:2] / f"{sha256}.jpg"
    assert stored.read_bytes() == source.read_bytes()
    assert [p.name for p in (tmp_path / "attachments").rglob("*.part")] == []


def test_the_same_content_is_stored_once(tmp_path) -> None:
    store = AttachmentStore(tmp_path / "attachments")
    (tmp_path / "a.png").write_bytes(b"same")
    (tmp_path / "b.png").write_bytes(b"same")
    assert store.store(tmp_path / "a.png") == store.store(tmp_path / "b.png")
    assert len([p for p in (tmp_path / "attachments").rglob("*") if p.is_file()]) == 1


def test_a_too_large_file_is_refused_before_copying(tmp_path) -> None:
    store = AttachmentStore(tmp_path / "attachments", max_bytes=1000)
    big = tmp_path / "video.mp4"
    with big.open("wb") as f:  # sparse: the size says 2 GB, nothing to copy
        f.truncate(2 * 1024 ** 3)
    with pytest.raises(ValidationError) as raised:
        store.store(big)
    assert "video.mp4" in raised.value.report["file"]
    assert not (tmp_path / "attachments").exists()


def test_the_default_limit_is_200_mb() -> None:
    from jituan_desktop.domain.research import MAX_ATTACHMENT_BYTES

    assert MAX_ATTACHMENT_BYTES == 200 * 1024 * 1024


def test_a_missing_or_unreadable_file_gets_a_clear_message(tmp_path) -> None:
    store = AttachmentStore(tmp_path / "attachments")
    with pytest.raises(ValidationError) as raised:
        store.store(tmp_path / "gone.pdf")
    assert "gone.pdf" in raised.value.report["file"]
    with pytest.raises(ValidationError):
        store.store(tmp_path)  # a folder


def test_a_cancelled_copy_leaves_no_file(tmp_path) -> None:
    store = AttachmentStore(tmp_path / "attachments")
    source = tmp_path / "slides.pptx"
    source.write_bytes(b"y" * 3_000_000)

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        store.store(source, cancel)
    assert [p for p in (tmp_path / "attachments").rglob("*") if p.is_file()] == []


def test_attaching_keeps_the_file_when_the_original_is_moved(services, saved, tmp_path) -> None:
    source = tmp_path / "签到表.png"
    source.write_bytes(b"sign-in")
    attachment, changes = services.research.add_attachment(saved.id, source)
    assert changes.touches("research_session")
    source.rename(tmp_path / "moved.png")
    path = services.research.attachment_path(attachment)
    assert path.read_bytes() == b"sign-in"
    assert services.research.get(saved.id).attachment_count == 1
    assert services.research.attachments(saved.id)[0].kind.value == "sign_in"


def test_the_same_file_twice_on_one_session_is_refused(services, saved, tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes(b"minutes")
    (tmp_path / "copy of a.txt").write_bytes(b"minutes")
    services.research.add_attachment(saved.id, tmp_path / "a.txt")
    with pytest.raises(ValidationError) as raised:
        services.research.add_attachment(saved.id, tmp_path / "copy of a.txt")
    assert "a.txt" in raised.value.report["file"]
    assert rows(services) == 1


def test_a_too_large_attachment_writes_no_row(services, saved, tmp_path) -> None:
    services.research.store.max_bytes = 10
    (tmp_path / "big.bin").write_bytes(b"z" * 11)
    with pytest.raises(ValidationError):
        services.research.add_attachment(saved.id, tmp_path / "big.bin")
    assert rows(services) == 0


def test_a_missing_stored_file_gets_a_clear_message(services, saved, tmp_path) -> None:
    (tmp_path / "p.png").write_bytes(b"photo")
    attachment, _ = services.research.add_attachment(saved.id, tmp_path / "p.png")
    services.research.attachment_path(attachment).unlink()
    with pytest.raises(ValidationError) as raised:
        services.research.attachment_path(attachment)
    assert "p.png" in raised.value.report["file"]


def test_remove_and_attach_again(services, saved, tmp_path) -> None:
    (tmp_path / "p.png").write_bytes(b"photo")
    attachment, _ = services.research.add_attachment(saved.id, tmp_path / "p.png")
    services.research.remove_attachment(attachment.id)
    assert services.research.attachments(saved.id) == []
    again, _ = services.research.restore_attachment(attachment)
    assert again.sha256 == attachment.sha256 and rows(services) == 1


def test_the_store_lives_in_the_data_folder(services) -> None:
    assert services.research.store.root == services.data.attachments
    assert services.data.attachments.parent == services.data.database.parent
