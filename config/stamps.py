"""Stamps: values that change, in the same transaction, whenever some data changes.

Database triggers set them (see the migrations that create them), so every way of writing the
data changes the stamp and caches keyed by it never serve what was true before. They are random,
not counters, so a rolled-back change never hands a value out again for other data.
"""

import secrets


def new_stamp() -> int:
    return secrets.randbits(62)
