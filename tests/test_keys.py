from __future__ import annotations

import os
import stat

import pytest

from app.modules.keys import KeyFileError, SchoolKey, SigningKey


def test_key_is_made_once_private_to_its_owner_and_verifies(tmp_path):
    key = SigningKey.load_or_create(tmp_path / "keys")
    mode = stat.S_IMODE(os.stat(tmp_path / "keys" / "school-key.pem").st_mode)
    assert mode == 0o600
    again = SigningKey.load_or_create(tmp_path / "keys")
    assert again.public().public_bytes == key.public().public_bytes
    sig = key.sign(b"hello")
    assert key.public().verify(sig, b"hello")
    assert not key.public().verify(sig, b"hellO")
    other = SigningKey.load_or_create(tmp_path / "other")
    assert not other.public().verify(sig, b"hello")


def test_school_key_file_round_trips_and_detects_damage(tmp_path):
    key = SigningKey.load_or_create(tmp_path / "keys")
    path = key.export_public(tmp_path / "riverside.pub", "Riverside High")
    loaded = SchoolKey.load(path)
    assert loaded.public_bytes == key.public().public_bytes and loaded.school_name == "Riverside High"
    text = path.read_text()
    with pytest.raises(KeyFileError, match="fingerprint"):
        SchoolKey.from_text(text.replace(loaded.fingerprint, "0" * 16))
    with pytest.raises(KeyFileError, match="not a Peer Helper Trainer"):
        SchoolKey.from_text("hello")


def test_an_unreadable_private_key_is_never_replaced(tmp_path):
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / "school-key.pem").write_text("garbage")
    with pytest.raises(KeyFileError, match="Restore it from a backup"):
        SigningKey.load_or_create(folder)
    assert (folder / "school-key.pem").read_text() == "garbage"
