"""Identities: created in the app or imported (openssl-made), fingerprints, wrong passphrases."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from jituan_desktop.signing.errors import SigningError, WrongPassphrase
from jituan_desktop.signing.identities import (
    create_identity,
    export_certificate,
    format_fingerprint,
    load_pkcs12,
    passphrase_problem,
    read_certificate_file,
)
from tests.unit.signing.conftest import PASSPHRASE, SCHOOL_A


def openssl_p12(folder: Path, org: str, cn: str, passphrase: str) -> Path:
    """A PKCS#12 made with the openssl command line, as a school's IT person would."""
    key, cert, p12 = folder / "k.pem", folder / "c.pem", folder / "id.p12"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "365", "-subj", f"/O={org}/CN={cn}",
                    "-utf8"], check=True, capture_output=True)
    subprocess.run(["openssl", "pkcs12", "-export", "-inkey", str(key), "-in", str(cert),
                    "-out", str(p12), "-passout", f"pass:{passphrase}"],
                   check=True, capture_output=True)
    return p12


def test_a_created_identity_opens_with_its_passphrase_and_names_the_school(tmp_path) -> None:
    path = tmp_path / "a.p12"
    info = create_identity(path, school_name=SCHOOL_A, representative="张明",
                           passphrase=PASSPHRASE)
    loaded = load_pkcs12(path, PASSPHRASE)
    assert loaded.info == info
    assert (info.organisation, info.common_name, info.self_signed) == (SCHOOL_A, "张明", True)
    assert (info.valid_to - info.valid_from).days >= 3650
    assert len(info.fingerprint) == 64
    assert PASSPHRASE.encode() not in path.read_bytes()


def test_a_wrong_passphrase_is_a_clear_error(identities) -> None:
    with pytest.raises(WrongPassphrase, match="passphrase is wrong"):
        load_pkcs12(identities["a"].path, "not-the-passphrase")


def test_a_file_that_is_not_pkcs12_is_named_as_such(tmp_path) -> None:
    junk = tmp_path / "x.p12"
    junk.write_bytes(b"%PDF-1.7 not a key")
    with pytest.raises(SigningError, match="not a signing identity") as caught:
        load_pkcs12(junk, PASSPHRASE)
    assert not isinstance(caught.value, WrongPassphrase)


def test_a_weak_passphrase_is_refused_and_no_file_is_written(tmp_path) -> None:
    assert passphrase_problem("1234567") and passphrase_problem("12345678")
    with pytest.raises(SigningError, match="too weak"):
        create_identity(tmp_path / "w.p12", school_name=SCHOOL_A, representative="张明",
                        passphrase="123")
    assert list(tmp_path.iterdir()) == []


def test_an_openssl_made_pkcs12_is_read(tmp_path) -> None:
    p12 = openssl_p12(tmp_path, SCHOOL_A, "Zhang Ming", "open-sesame-1")
    loaded = load_pkcs12(p12, "open-sesame-1")
    assert loaded.info.organisation == SCHOOL_A
    with pytest.raises(WrongPassphrase):
        load_pkcs12(p12, "open-sesame-2")


def test_the_fingerprint_reads_in_groups_of_four() -> None:
    text = format_fingerprint("ab" * 32)
    assert text.splitlines() == ["ABAB " * 7 + "ABAB"] * 2


def test_an_exported_certificate_reads_back_without_the_key(identities, tmp_path) -> None:
    loaded = identities["a"].loaded
    export_certificate(loaded.certificate, tmp_path / "a.cer")
    assert b"PRIVATE KEY" not in (tmp_path / "a.cer").read_bytes()
    assert read_certificate_file(tmp_path / "a.cer") == loaded.certificate


AES_256_CBC_OID = bytes.fromhex("60864801650304012a")  # 2.16.840.1.101.3.4.1.42


@pytest.mark.parametrize("legacy", [False, True])
def test_an_imported_pkcs12_is_stored_again_under_modern_encryption(tmp_path, legacy) -> None:
    from sqlalchemy import select

    from jituan_desktop.bootstrap import open_services
    from jituan_desktop.paths import DataPaths
    from jituan_desktop.persistence.models import SchoolRow
    from jituan_desktop.settings import Settings

    source = openssl_p12(tmp_path, SCHOOL_A, "张明", PASSPHRASE)
    if legacy:  # RC2/3DES, as old Windows tools write it
        pem = tmp_path / "all.pem"
        subprocess.run(["openssl", "pkcs12", "-in", str(source), "-nodes", "-out", str(pem),
                        "-passin", f"pass:{PASSPHRASE}"], check=True, capture_output=True)
        source = tmp_path / "legacy.p12"
        subprocess.run(["openssl", "pkcs12", "-export", "-legacy", "-in", str(pem), "-out",
                        str(source), "-passout", f"pass:{PASSPHRASE}"], check=True,
                       capture_output=True)
    services = open_services(DataPaths(tmp_path / "data", demo=True), Settings())
    try:
        with services.signing.db.reading() as s:
            school_id = s.scalar(select(SchoolRow.id).limit(1))
        with pytest.raises(SigningError, match="passphrase"):
            services.signing.import_p12(school_id, source, "")
        identity, _changes = services.signing.import_p12(school_id, source, PASSPHRASE)
    finally:
        services.close()
    stored = identity.p12_path.read_bytes()
    assert stored != source.read_bytes()
    assert AES_256_CBC_OID in stored
    assert load_pkcs12(identity.p12_path, PASSPHRASE).info.fingerprint == identity.fingerprint


def test_an_identity_without_a_passphrase_is_refused_before_it_is_read(tmp_path) -> None:
    from jituan_desktop.signing.identities import protected_pkcs12, require_passphrase

    with pytest.raises(SigningError, match="kept only under a passphrase"):
        require_passphrase("")
    with pytest.raises(SigningError):
        protected_pkcs12(None, "")  # type: ignore[arg-type]
