"""The editor password, stored only as a salted scrypt hash.

A hosted dashboard's configuration (``.streamlit/secrets.toml``, the Community
Cloud secrets box, an environment variable) is read by more people and tools than
the editors, so it holds ``scrypt$N$r$p$salt$key`` rather than the password.
scrypt is memory-hard (16 MiB per check with the defaults), which makes guessing
from a leaked hash slow; checks compare in constant time.

Make a hash with ``python -m geo hash-password`` (asks twice, prints the hash and
the line to paste into ``secrets.toml``).
"""
from __future__ import annotations

import base64
import binascii
import getpass
import hashlib
import hmac
import secrets
import sys

SCHEME = "scrypt"
#: scrypt cost: N=2**14, r=8, p=1 (16 MiB, ~50 ms here): OWASP's minimum for scrypt.
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2**14, 8, 1
#: Bounds on parameters read from configuration, so a typo cannot make every
#: sign-in take minutes or gigabytes.
MAX_N, MAX_RP = 2**20, 64
KEY_BYTES = 32
SALT_BYTES = 16
MIN_PASSWORD_CHARS = 8


class PasswordHashError(ValueError):
    """A configured password hash is not one this module produced."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * n * r + 2**20, dklen=KEY_BYTES)


def hash_password(password: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R, p: int = DEFAULT_P) -> str:
    """A new salted hash of ``password`` in the form ``scrypt$N$r$p$salt$key`` (base64 parts)."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"the editor password needs at least {MIN_PASSWORD_CHARS} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    return "$".join([SCHEME, str(n), str(r), str(p), _b64(salt), _b64(_derive(password, salt, n, r, p))])


def parse_hash(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    """(N, r, p, salt, key) of an encoded hash; :class:`PasswordHashError` says what is wrong."""
    parts = encoded.strip().split("$") if isinstance(encoded, str) else []
    if len(parts) != 6 or parts[0] != SCHEME:
        raise PasswordHashError("not a scrypt$N$r$p$salt$key hash (make one with `python -m geo hash-password`)")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error) as e:
        raise PasswordHashError(f"malformed scrypt hash ({e})") from None
    if n < 2 or n & (n - 1) or n > MAX_N or not 1 <= r * p <= MAX_RP or r < 1 or p < 1:
        raise PasswordHashError(f"scrypt parameters out of range (N={n}, r={r}, p={p})")
    if len(salt) < 8 or len(key) < 16:
        raise PasswordHashError("scrypt hash has too short a salt or key")
    return n, r, p, salt, key


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches ``encoded``; a malformed hash never matches.

    The derived key is compared with :func:`hmac.compare_digest`, so the time
    taken does not tell how much of a guess was right.
    """
    try:
        n, r, p, salt, key = parse_hash(encoded)
    except PasswordHashError:
        return False
    if not isinstance(password, str):
        return False
    return hmac.compare_digest(_derive(password, salt, n, r, p), key)


def main() -> int:
    """Ask for a password (twice on a terminal, once from a pipe) and print its hash
    (``python -m geo hash-password``)."""
    if sys.stdin.isatty():
        password = getpass.getpass("Editor password: ")
        if getpass.getpass("Again: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        encoded = hash_password(password)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(encoded)
    print("# in .streamlit/secrets.toml (or the Community Cloud secrets box):", file=sys.stderr)
    print(f'# GEO_EDITOR_PASSWORD_HASH = "{encoded}"', file=sys.stderr)
    print("# or in the environment:", file=sys.stderr)
    print(f"# export GEO_EDITOR_PASSWORD_HASH='{encoded}'", file=sys.stderr)
    return 0
