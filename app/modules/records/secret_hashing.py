"""Passwords and PINs stored as salted scrypt hashes, and the one-time codes made for people.

Hashes use a self-describing format (`scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`), so the
cost can rise later and old hashes still verify. Hashing takes about half a second: call these
off the UI thread.

The cost of new hashes is `SCRYPT_LOG2_N` and nothing else: no environment variable or
setting lowers it. The tests make hashing cheap by patching that attribute in their own
process (tests/fast_hash.py); verification reads N from the stored hash either way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import unicodedata

# OWASP password storage cheat sheet: scrypt N=2^17, r=8, p=1.
SCRYPT_LOG2_N = 17
SCRYPT_R = 8
SCRYPT_P = 1
MAX_STORED_LOG2_N = 20  # refuse absurd costs in a tampered hash rather than hang
SALT_BYTES = 16
KEY_BYTES = 32
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread from paper


def _log2_n() -> int:
    return SCRYPT_LOG2_N  # read at each call, so a test can patch the module attribute


def _scrypt(secret: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 1 << log2_n
    # OpenSSL needs about 128*r*(N+p) bytes; the default maxmem (32 MiB) is too small for N=2^17.
    maxmem = 128 * r * (n + p + 2) + (1 << 20)
    normalised = unicodedata.normalize("NFC", secret).encode("utf-8")
    return hashlib.scrypt(normalised, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_secret(secret: str) -> str:
    log2_n = _log2_n()
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(secret, salt, log2_n, SCRYPT_R, SCRYPT_P)
    return f"scrypt${log2_n}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        log2_n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if not (1 <= log2_n <= MAX_STORED_LOG2_N and 1 <= r <= 32 and 1 <= p <= 16 and salt and digest):
        return None
    return log2_n, r, p, salt, digest


def check_secret(secret: str, stored: str) -> bool:
    """True if `secret` matches `stored`; a malformed stored value never matches."""
    parsed = parse_hash(stored)
    if parsed is None:
        return False
    log2_n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(secret, salt, log2_n, r, p), digest)


def weaker_than_current(stored: str) -> bool:
    """True when `stored` was hashed at a lower cost than new hashes get (then it is rehashed at sign-in)."""
    parsed = parse_hash(stored)
    return parsed is not None and parsed[0] < _log2_n()


def one_time_code(groups: int, size: int = 4) -> str:
    """Letters and digits in groups ("K7QM-..."), easy to read from paper and to type."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _i in range(size)) for _j in range(groups))


def one_time_pin(digits: int = 6) -> str:
    return "".join(secrets.choice("0123456789") for _i in range(digits))


def normal_code(code: str) -> str:
    """A code as typed (any case, spaces or dashes) in the form that is hashed."""
    return "".join(ch for ch in code.upper() if ch.isalnum())
