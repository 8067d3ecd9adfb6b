"""What a stage sends: a message as topic, key and value bytes; alerts encoded once for every topic."""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from schemas import Alert


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to publish: topic, key, value bytes (`partition`: None, the key's)."""

    topic: str
    key: bytes | None
    value: bytes
    partition: int | None = None


def encode_alert(alert: Alert) -> bytes:
    return orjson.dumps(alert.model_dump(mode="json"))
