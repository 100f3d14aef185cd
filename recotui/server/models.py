"""What the API takes and gives, as pydantic models: validated on the way in, documented in
the OpenAPI document."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_BATCH = 1000  # mutations per push; a bigger backlog goes in several pushes


class Strict(BaseModel):
    """Unknown fields are refused, and so are numbers sent as text ("2") or as floats: a
    wrong type is the client's bug, answered 422 rather than guessed at."""

    model_config = ConfigDict(extra="forbid")


def _has_nul(value: Any) -> bool:
    """A NUL character in any string of a JSON value (keys too), without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class Mutation(Strict):
    id: int = Field(ge=1, strict=True, description="per client, rising by one")
    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")
    args: dict[str, Any]

    @field_validator("args")
    @classmethod
    def _text_without_nul(cls, value: dict[str, Any]) -> dict[str, Any]:
        # PostgreSQL text cannot hold NUL: refused here, not a 500 when written.
        if _has_nul(value):
            raise ValueError("text may not contain NUL characters")
        return value


class PushRequest(Strict):
    client_id: uuid.UUID
    mutations: list[Mutation] = Field(max_length=MAX_BATCH)


class MutationResult(BaseModel):
    id: int
    result: str = Field(description='"" applied, "duplicate", "refused: …" or '
                                    '"kept for review: …"')


class PushResponse(BaseModel):
    last_mutation_id: int
    results: list[MutationResult]
    earlier: list[MutationResult] = Field(
        default_factory=list, description="ids of the batch applied by an earlier push (a "
                                          "retry), with what the server said then")


class Gap(BaseModel):
    detail: str
    last_mutation_id: int


class ClaimNextRequest(Strict):
    count: int = Field(default=1, ge=1, le=500, strict=True)
    lease_seconds: int = Field(default=900, ge=60, le=7 * 86400, strict=True)


class ClaimRequest(Strict):
    case_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    lease_seconds: int = Field(default=8 * 3600, ge=60, le=7 * 86400, strict=True)


class ReleaseRequest(Strict):
    case_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class Claim(BaseModel):
    case_id: str
    claim_epoch: int
    lease_until: str


class Claims(BaseModel):
    claims: list[Claim]


class NewUser(Strict):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[\w.@-]+$")
    role: str = Field(pattern="^(agent|supervisor|admin)$")
    campaigns: list[uuid.UUID] = Field(default_factory=list, max_length=100)


class UserToken(BaseModel):
    user_id: str
    username: str
    role: str
    token: str


class Me(BaseModel):
    user_id: str
    username: str
    role: str
