"""Keyed pseudonyms: HMAC-SHA256 under a secret key that lives outside the repository.

The key comes from ``DWH_PSEUDONYM_KEY`` (64 hex characters) or from the key file
``$DWH_HOME/secrets/pseudonym.key``, created on first use. A pseudonym is the first
128 bits of the HMAC of the national number, as 32 hex characters.

A person's record key (0-255), which the cell-key perturbation of the figures sums, is the
first byte of the HMAC of the national number under a secret of its own
(``DWH_RECORD_KEY`` or ``$DWH_HOME/secrets/record.key``) that is never rotated: a new
pseudonymisation key or a rebuilt history leaves every person's record key, hence every
published figure, as it was (a second draw of the noise would narrow it down).
"""

import hashlib
import hmac
import os
import secrets
import sys

from dwh.core import paths

KEY_ENV = "DWH_PSEUDONYM_KEY"
RECORD_KEY_ENV = "DWH_RECORD_KEY"
PSEUDONYM_BYTES = 16


def key_file():
    return paths.home() / "secrets" / "pseudonym.key"


def record_key_file():
    return paths.home() / "secrets" / "record.key"


def load_key() -> bytes:
    """The master key; creates the key file (and says so on stderr) when there is none."""
    return _load(
        KEY_ENV,
        key_file(),
        "a new pseudonymisation key",
        "without it, new deliveries cannot be linked to the existing pseudonyms.",
    )


def load_record_key() -> bytes:
    """The secret of the record keys; creates its file (and says so) when there is none."""
    return _load(
        RECORD_KEY_ENV,
        record_key_file(),
        "a new record-key secret",
        "a new one changes the noise of every published figure, and a second draw of the "
        "noise helps an attacker narrow down the counts. Never rotate it.",
    )


def _load(env: str, path, what: str, why: str) -> bytes:
    if os.environ.get(env):
        return _parse(os.environ[env], env)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        print(f"Created {what} in {path}. Back it up and keep it secret: {why}", file=sys.stderr)
    return _parse(path.read_text().strip(), str(path))


def _parse(text: str, origin: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 32:
        raise ValueError(f"the secret in {origin} must be at least 64 hex characters")
    return key


def derived_key(master: bytes, purpose: str) -> bytes:
    """A key of its own for one purpose (``households``, a project), derived from the master
    key with HKDF-SHA256 (RFC 5869): pseudonyms of different purposes never coincide."""
    prk = hmac.new(b"lmsp-dwh", master, hashlib.sha256).digest()
    return hmac.new(prk, purpose.encode() + b"\x01", hashlib.sha256).digest()


def digest(key: bytes, value: str) -> bytes:
    return hmac.new(key, value.encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, value: str) -> str:
    """Reference implementation of the pseudonym of one value."""
    return digest(key, value)[:PSEUDONYM_BYTES].hex()


def sql_hmac_hex(column: str) -> str:
    """HMAC-SHA256 of a text column as a DuckDB SQL expression giving 64 hex characters.

    It takes two bound parameters, :func:`padded_keys`, so the key never becomes SQL text.
    """
    return f"sha256(unhex(?) || unhex(sha256(unhex(?) || encode({column}))))"


def sql_pseudonym(column: str) -> str:
    """The pseudonym of a text column in DuckDB SQL (binds :func:`padded_keys`)."""
    return f"left({sql_hmac_hex(column)}, {2 * PSEUDONYM_BYTES})"


def sql_record_key(hmac_hex: str) -> str:
    """The record key (0-255) in DuckDB SQL: the first byte of an HMAC in hex."""
    return f"cast(('0x' || left({hmac_hex}, 2)) as integer)"


def record_key(secret: bytes, value: str) -> int:
    """Reference implementation of the record key of one value."""
    return digest(secret, value)[0]


def spark_sql_hmac_hex(column: str, prefix: str = "") -> str:
    """:func:`sql_hmac_hex` in Spark SQL, with the padded keys as named parameters
    (``:opad`` and ``:ipad``, after ``prefix``)."""
    return (
        f"sha2(concat(unhex(:{prefix}opad), unhex(sha2(concat(unhex(:{prefix}ipad), "
        f"encode({column}, 'UTF-8')), 256))), 256)"
    )


def padded_keys(key: bytes) -> list[str]:
    """The outer and inner padded keys of HMAC, in the order :func:`sql_hmac_hex` binds them."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return [bytes(b ^ 0x5C for b in key).hex(), bytes(b ^ 0x36 for b in key).hex()]
