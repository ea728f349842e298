"""Keyed pseudonyms: HMAC-SHA256 under a secret key that lives outside the repository.

The key comes from ``DWH_PSEUDONYM_KEY`` (64 hex characters) or from the key file
``$DWH_HOME/secrets/pseudonym.key``, created on first use. A pseudonym is the first
128 bits of the HMAC of the national number, as 32 hex characters; the next byte of
the same HMAC is the person's record key (0-255) for cell-key perturbation.
"""

import hashlib
import hmac
import os
import secrets
import sys

from dwh.core import paths

KEY_ENV = "DWH_PSEUDONYM_KEY"
PSEUDONYM_BYTES = 16


def key_file():
    return paths.home() / "secrets" / "pseudonym.key"


def load_key() -> bytes:
    """The master key; creates the key file (and says so on stderr) when there is none."""
    if os.environ.get(KEY_ENV):
        return _parse(os.environ[KEY_ENV], KEY_ENV)
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        print(
            f"Created a new pseudonymisation key in {path}. Back it up and keep it secret: "
            "without it, new deliveries cannot be linked to the existing pseudonyms.",
            file=sys.stderr,
        )
    return _parse(path.read_text().strip(), str(path))


def _parse(text: str, origin: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 32:
        raise ValueError(f"the pseudonymisation key in {origin} must be at least 64 hex characters")
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


def sql_pseudonym_and_record_key(hmac_hex: str, dialect: str = "duckdb") -> tuple[str, str]:
    """SQL expressions taking the pseudonym and the record key out of an HMAC in hex."""
    pseudonym = f"left({hmac_hex}, {2 * PSEUDONYM_BYTES})"
    byte = f"substr({hmac_hex}, {2 * PSEUDONYM_BYTES + 1}, 2)"
    if dialect == "spark":
        return pseudonym, f"cast(conv({byte}, 16, 10) as int)"
    return pseudonym, f"cast(('0x' || {byte}) as integer)"


def spark_sql_hmac_hex(column: str) -> str:
    """:func:`sql_hmac_hex` in Spark SQL, with the padded keys as named parameters."""
    return (
        "sha2(concat(unhex(:opad), unhex(sha2(concat(unhex(:ipad), "
        f"encode({column}, 'UTF-8')), 256))), 256)"
    )


def padded_keys(key: bytes) -> list[str]:
    """The outer and inner padded keys of HMAC, in the order :func:`sql_hmac_hex` binds them."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return [bytes(b ^ 0x5C for b in key).hex(), bytes(b ^ 0x36 for b in key).hex()]
