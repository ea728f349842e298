"""What every part shares: where files live, national numbers, pseudonyms, file hashes.

``core`` imports no other part of ``dwh``.
"""
