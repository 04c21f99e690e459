"""The school's Ed25519 key pair: it signs certificates and record bundles.

The private key is made once (at setup, or the first time it is needed) and stays in the data
folder, readable only by its owner. The public key is exported as a small "school key" file
that anyone can use, offline, to verify what this laptop signed.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import TrainingError
from app.core.i18n import _

PRIVATE_FILE = "school-key.pem"
SCHOOL_KEY_HEADER = "peer-helper-trainer school key v1"


FINGERPRINT_DIGITS = 24  # about 80 bits: no one can make another key with the same digits
_FINGERPRINT_CONTEXT = b"peer-helper-trainer laptop fingerprint v1\0"


def laptop_fingerprint(public_bytes: bytes) -> str:
    """The short number that coordinators compare to pair two laptops: 24 digits in groups of 4.

    Derived from the laptop's public key alone, so a laptop can show its own fingerprint
    before it has seen any other (as a Bluetooth device shows its code): "4821 0937 ...".
    """
    digest = hashlib.sha256(_FINGERPRINT_CONTEXT + public_bytes).digest()
    digits = str(int.from_bytes(digest[:16], "big") % 10**FINGERPRINT_DIGITS).zfill(FINGERPRINT_DIGITS)
    return " ".join(digits[i : i + 4] for i in range(0, FINGERPRINT_DIGITS, 4))


def same_fingerprint(typed: str, fingerprint: str) -> bool:
    """True if `typed` is `fingerprint`, whatever spaces or dashes were typed between the digits."""
    return len(typed) < 200 and "".join(ch for ch in typed if ch in "0123456789") == fingerprint.replace(" ", "")


class KeyFileError(TrainingError):
    """A key that cannot be read or used; the message says what to do."""


@dataclass(frozen=True)
class SchoolKey:
    """A public key as shared outside the school."""

    public_bytes: bytes  # raw 32-byte Ed25519 public key
    school_name: str = ""

    @property
    def fingerprint(self) -> str:
        """Short, human-comparable id of the key (first 16 hex digits of its SHA-256)."""
        return hashlib.sha256(self.public_bytes).hexdigest()[:16]

    def verify(self, signature: bytes, message: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(self.public_bytes).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_text(self) -> str:
        key = base64.b64encode(self.public_bytes).decode("ascii")
        return f"{SCHOOL_KEY_HEADER}\nschool: {self.school_name}\nfingerprint: {self.fingerprint}\nkey: {key}\n"

    @classmethod
    def from_text(cls, text: str) -> SchoolKey:
        fields: dict[str, str] = {}
        lines = text.strip().splitlines()
        if not lines or lines[0].strip() != SCHOOL_KEY_HEADER:
            raise KeyFileError(_("This is not a Peer Helper Trainer school key file."))
        for line in lines[1:]:
            name, _sep, value = line.partition(":")
            fields[name.strip()] = value.strip()
        try:
            raw = base64.b64decode(fields["key"], validate=True)
        except (KeyError, ValueError):
            raise KeyFileError(_("The school key file is damaged: its key line is missing or unreadable.")) from None
        if len(raw) != 32:
            raise KeyFileError(_("The school key file is damaged: the key has the wrong length."))
        key = cls(raw, fields.get("school", ""))
        if fields.get("fingerprint") and fields["fingerprint"] != key.fingerprint:
            raise KeyFileError(_("The school key file is damaged: its fingerprint does not match its key."))
        return key

    @classmethod
    def load(cls, path: Path) -> SchoolKey:
        try:
            return cls.from_text(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyFileError(
                _("Cannot read the school key file {path}: {reason}").format(path=path, reason=exc)
            ) from None


class SigningKey:
    """This school's private key, kept in `<data>/keys/`."""

    def __init__(self, private_key, folder: Path):
        self._key = private_key
        self.folder = folder

    @classmethod
    def load_or_create(cls, folder: Path) -> SigningKey:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        path = folder / PRIVATE_FILE
        if path.exists():
            try:
                key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            except (OSError, ValueError) as exc:
                raise KeyFileError(
                    _(
                        "The school's signing key ({path}) cannot be read: {reason}. Restore it from a backup; "
                        "a new key would make certificates already issued unverifiable with the old school key file."
                    ).format(path=path, reason=exc)
                ) from None
            if not isinstance(key, Ed25519PrivateKey):
                raise KeyFileError(_("{path} is not an Ed25519 key.").format(path=path))
            return cls(key, folder)
        from app.core.private_files import make_private_dir

        make_private_dir(folder)  # the school key: this account only
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Created with owner-only permissions from the start, then moved into place whole.
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        os.chmod(path, 0o600)
        return cls(key, folder)

    def public(self, school_name: str = "") -> SchoolKey:
        from cryptography.hazmat.primitives import serialization

        raw = self._key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return SchoolKey(raw, school_name)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def export_public(self, dest: Path, school_name: str = "") -> Path:
        dest.write_text(self.public(school_name).to_text(), encoding="utf-8")
        return dest
