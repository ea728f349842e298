"""Extracts of approved requests, read from the served publication only: production with
project pseudonyms, k-anonymity of anonymous samples, the codebook, delivery and expiry."""
