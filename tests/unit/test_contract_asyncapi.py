"""docs/asyncapi.yaml: valid AsyncAPI 3.0.0, complete, and consistent with the JSON schemas/models.

tests/data/asyncapi-3.0.0.schema.json is `schemas/3.0.0-without-$id.json` from the npm package
``@asyncapi/specs`` 6.11.1 (Apache-2.0): the official AsyncAPI 3.0.0 JSON schema, bundled with the
Kafka bindings, so bindings are validated too.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from schemas.export import TOPIC_PAYLOADS
from streams.metrics import MEKONG_COUNTRIES

ROOT = Path(__file__).resolve().parents[2]
DOC_PATH = ROOT / "docs" / "asyncapi.yaml"
SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "data/asyncapi-3.0.0.schema.json").read_text())
TOPICS = {
    "border.crossings",
    "border.document-checks",
    "watchlist.entries",
    "alerts",
    "alerts.{country}",
    "alerts.decisions",
    "events.dead-letter",
}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return yaml.safe_load(DOC_PATH.read_text(encoding="utf-8"))


def _errors(document: dict[str, Any]) -> list[str]:
    errors = Draft7Validator(SCHEMA).iter_errors(document)
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors]


def test_vendored_schema_is_asyncapi_3_0_0() -> None:
    assert SCHEMA["properties"]["asyncapi"]["const"] == "3.0.0"


def test_document_validates_against_asyncapi_3_schema(doc: dict[str, Any]) -> None:
    assert doc["asyncapi"] == "3.0.0"
    assert _errors(doc) == []


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["operations"]["sendAlerts"].__setitem__("action", "publish"),  # AsyncAPI 2 verb
        lambda d: d["channels"]["alerts"]["bindings"]["kafka"].__setitem__("partitions", "six"),
        lambda d: d["components"]["securitySchemes"]["saslScram"].__setitem__("type", "scram"),
        lambda d: d["channels"]["borderCrossings"].__setitem__("subscribe", {}),  # AsyncAPI 2 shape
        lambda d: d["components"]["messages"]["DeadLetter"]["bindings"].__setitem__("kafka", {"key": 3}),
    ],
    ids=["action", "partitions", "security", "v2-channel", "key-binding"],
)
def test_schema_catches_mistakes(doc: dict[str, Any], mutate: Any) -> None:
    bad = copy.deepcopy(doc)
    mutate(bad)
    assert _errors(bad), "the vendored AsyncAPI schema should reject this mutation"


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    path, _, pointer = ref.partition("#")
    if path:
        target = (DOC_PATH.parent / path).resolve()
        assert target.is_file(), ref
        node: Any = json.loads(target.read_text(encoding="utf-8"))
    else:
        node = doc
    for part in filter(None, pointer.split("/")):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return out + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_ref_resolves(doc: dict[str, Any]) -> None:
    refs = _refs(doc)
    assert len(refs) > 20
    for ref in refs:
        _resolve(doc, ref)


def test_channels_cover_every_topic(doc: dict[str, Any]) -> None:
    addresses = {c["address"] for c in doc["channels"].values()}
    assert addresses == TOPICS
    country = doc["channels"]["countryAlerts"]
    param = _resolve(doc, country["parameters"]["country"]["$ref"])
    assert param["enum"] == list(MEKONG_COUNTRIES)
    wl = doc["channels"]["watchlistEntries"]["bindings"]["kafka"]
    assert wl["topicConfiguration"]["cleanup.policy"] == ["compact"]


def test_every_message_has_a_key_binding(doc: dict[str, Any]) -> None:
    for name, msg in doc["components"]["messages"].items():
        bindings = msg.get("bindings") or {}
        for trait in msg.get("traits", []):
            bindings = bindings or _resolve(doc, trait["$ref"]).get("bindings", {})
        assert bindings["kafka"]["key"]["type"] == "string", name


def test_operations(doc: dict[str, Any]) -> None:
    ops = doc["operations"]
    def addresses(action: str) -> set[str]:
        return {_resolve(doc, o["channel"]["$ref"])["address"] for o in ops.values() if o["action"] == action}

    received, sent = addresses("receive"), addresses("send")
    assert received == {"border.crossings", "border.document-checks", "watchlist.entries", "alerts.decisions"}
    assert sent == {"alerts", "alerts.{country}", "events.dead-letter"}
    for op in ops.values():
        channel_path = op["channel"]["$ref"]
        for m in op["messages"]:
            assert m["$ref"].startswith(channel_path + "/messages/")


def test_servers_include_sasl_ssl(doc: dict[str, Any]) -> None:
    prod = doc["servers"]["production"]
    assert prod["protocol"] == "kafka-secure"
    types = {_resolve(doc, s["$ref"])["type"] for s in prod["security"]}
    assert "scramSha512" in types


def test_payload_refs_point_at_exported_schemas(doc: dict[str, Any]) -> None:
    by_file = {f"../schemas/json/{t}.schema.json" for t in TOPIC_PAYLOADS}
    used = {m["payload"]["$ref"] for m in doc["components"]["messages"].values() if "$ref" in m["payload"]}
    assert used == by_file


def test_examples_are_valid_payloads(doc: dict[str, Any]) -> None:
    topic_of = {f"../schemas/json/{t}.schema.json": t for t in TOPIC_PAYLOADS}
    checked = 0
    for name, msg in doc["components"]["messages"].items():
        ref = msg["payload"].get("$ref")
        if ref is None:
            continue
        schema = _resolve(doc, ref)
        model = TOPIC_PAYLOADS[topic_of[ref]][0]
        assert msg.get("examples"), f"{name} has no example"
        for example in msg["examples"]:
            payload = json.loads(json.dumps(example["payload"], default=str))
            Draft202012Validator(schema).validate(payload)
            model.model_validate(payload)
            checked += 1
    assert checked >= 6
