"""A campaign's saved segment: which open cases it takes. Empty fields do not filter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from recotui.domain.vocab import LADDER


class SegmentError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Segment:
    stages: tuple[str, ...] = ()
    dpd_min: int | None = None  # days past due of the oldest open invoice, inclusive
    dpd_max: int | None = None
    balance_min: int | None = None  # minor units, inclusive
    balance_max: int | None = None
    debtor_kind: str = ""  # company | consumer
    postcode_prefix: str = ""
    language: str = ""  # fr | en ...

    def __post_init__(self) -> None:
        for stage in self.stages:
            if stage not in LADDER:
                raise SegmentError(f"unknown stage {stage!r}")
        if self.debtor_kind not in {"", "company", "consumer"}:
            raise SegmentError(f"unknown debtor kind {self.debtor_kind!r}")
        for low, high in ((self.dpd_min, self.dpd_max), (self.balance_min, self.balance_max)):
            if low is not None and high is not None and low > high:
                raise SegmentError(f"the range {low}..{high} is empty")

    @property
    def is_empty(self) -> bool:
        """No filter at all: the segment is the whole open book."""
        return self == Segment()

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["stages"] = list(self.stages)
        return {k: v for k, v in data.items() if v not in (None, "", [])}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Segment:
        known = {f.name for f in fields(cls)}
        data = dict(data or {})
        unknown = set(data) - known
        if unknown:
            raise SegmentError(f"unknown segment field(s): {', '.join(sorted(unknown))}")
        if "stages" in data:
            data["stages"] = tuple(data["stages"])
        return cls(**data)
