"""UUIDv7: time-ordered ids, so index inserts stay at the right-hand edge of the B-tree."""

from __future__ import annotations

import os
import random
import time
import uuid


def uuid7(unix_ms: int | None = None, rand: int | None = None) -> uuid.UUID:
    """RFC 9562 version 7: 48-bit Unix milliseconds, version, 74 random bits."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    bits = int.from_bytes(os.urandom(10), "big") if rand is None else rand
    rand_a = (bits >> 62) & 0xFFF
    rand_b = bits & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


def uuid7_ms(value: uuid.UUID) -> int:
    """The millisecond timestamp carried by a UUIDv7."""
    return value.int >> 80


class SeededUuid7:
    """Deterministic, strictly rising UUIDv7s for reproducible books (demo, tests)."""

    def __init__(self, seed: int, start_ms: int) -> None:
        self._rng = random.Random(seed)
        self._ms = start_ms
        self._counter = 0

    def next_hex(self) -> str:
        # A rising 12-bit counter in rand_a keeps ids ordered within one millisecond.
        self._counter += 1
        if self._counter > 0xFFF:
            self._counter = 0
            self._ms += 1
        rand_b = self._rng.getrandbits(62)
        value = self._ms << 80 | 0x7 << 76 | self._counter << 64 | 0b10 << 62 | rand_b
        return f"{value:032x}"

    def next(self) -> uuid.UUID:
        return uuid.UUID(hex=self.next_hex())
