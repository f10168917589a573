"""Named random streams, so each concern draws from its own reproducible sequence."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str, *keys: int) -> np.random.Generator:
    """A generator for `name` (and e.g. a year and chunk) under `seed`, independent of the others.

    The name is hashed with CRC-32 rather than `hash()`, which Python salts per process.
    """
    return np.random.default_rng([seed, zlib.crc32(name.encode()), *keys])
