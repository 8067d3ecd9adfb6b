"""Who may do what on the cluster: BorderWatch principals and their Kafka ACLs, as data, in one place.

Principals (SASL/SCRAM users; `User:<name>` in ACLs):

- `worker` — the BorderWatch workers (consumer groups `<app_id>` for Faust and `<app_id>-screen` for
  the batch screening loop, both under the prefixed group grant): read the event, watchlist,
  decision and alert topics (alerts: to rebuild the suppression state at start); write alerts,
  per-country alert topics, dead letters and alert candidates.
- `officer-<cc>` — the duty officer console of one country: read `alerts.<CC>` only, with its own
  consumer groups (`officer-<cc>*`).
  It may also post decisions to `alerts.decisions`.
- `intel-<cc>` — an agency's watchlist desk: read and write `watchlist.entries`.
- `checkpoint-<cc>` — the checkpoint systems of one country: write `border.crossings` and
  `border.document-checks` only.
- the cluster administrator (a super user) creates the topics (`precreate_topics`) and the ACLs; the
  worker therefore needs no Create permission.

Topic names come from Settings, so namespaced deployments (BW_TOPIC_*) get matching ACLs.
`python -m streams.security` prints the `kafka-acls.sh` commands for a real cluster; the local secured
broker (`LocalKafka(security=...)`) applies the same grants with `apply_grants`. Passwords are never
handled here: they live in the SCRAM store of the cluster and in files/env of each client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from schemas.watchlist import MEKONG_COUNTRIES
from streams.settings import Settings
from streams.topics import country_alert_topic

ACL_COMMAND = "org.apache.kafka.tools.AclCommand"  # kafka-acls.sh in Kafka 4.x

ResourceType = Literal["topic", "group", "cluster", "transactional-id"]


@dataclass(frozen=True, slots=True)
class Grant:
    """ALLOW `operations` on every resource in `names` (of one type and pattern) to `principal`.

    Read and Write imply Describe (topics, groups), and Write on a topic implies IdempotentWrite on
    the cluster (Kafka >= 3.0), so neither is granted separately.
    """

    principal: str
    resource_type: ResourceType
    names: tuple[str, ...]
    operations: tuple[str, ...]
    pattern: Literal["literal", "prefixed"] = "literal"

    def acl_command_args(self) -> list[str]:
        """Arguments for AclCommand / kafka-acls.sh (after the connection options)."""
        args = ["--add", "--allow-principal", f"User:{self.principal}"]
        for op in self.operations:
            args += ["--operation", op]
        if self.resource_type == "cluster":
            args.append("--cluster")
        else:
            for name in self.names:
                args += [f"--{self.resource_type}", name]
        args += ["--resource-pattern-type", self.pattern]
        return args

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """(principal, resource type, pattern, name, operation) — one row per ACL binding."""
        names = self.names or ("kafka-cluster",)
        return [(f"User:{self.principal}", self.resource_type, self.pattern, n, op)
                for n in names for op in self.operations]


def leader_topic(settings: Settings) -> str:
    """Faust's partition-assignor leader topic (one partition), pre-created by the administrator."""
    return f"{settings.app_id}-__assignor-__leader"


def officer_principal(country: str) -> str:
    return f"officer-{country.lower()}"


def checkpoint_principal(country: str) -> str:
    return f"checkpoint-{country.lower()}"


def worker_grants(settings: Settings, principal: str = "worker") -> list[Grant]:
    country_topics = tuple(country_alert_topic(settings, c) for c in MEKONG_COUNTRIES)
    return [
        # alerts: read back at start to rebuild the suppression state (streams/history.py)
        Grant(principal, "topic", (settings.topic_crossings, settings.topic_document_checks,
                                   settings.topic_watchlist, settings.topic_decisions,
                                   settings.topic_alert_candidates, settings.topic_alerts,
                                   settings.topic_name_frequency), ("Read",)),
        Grant(principal, "topic", (settings.topic_alerts, *country_topics, settings.topic_dead_letter,
                                   settings.topic_alert_candidates, settings.topic_name_frequency), ("Write",)),
        # Faust's assignor subscribes to it; without Describe the broker would refuse its metadata
        Grant(principal, "topic", (leader_topic(settings),), ("Read", "Write")),
        Grant(principal, "group", (settings.app_id,), ("Read",), "prefixed"),
    ]


def officer_grants(settings: Settings, country: str) -> list[Grant]:
    principal = officer_principal(country)
    return [
        Grant(principal, "topic", (country_alert_topic(settings, country),), ("Read",)),
        Grant(principal, "topic", (settings.topic_decisions,), ("Write",)),
        Grant(principal, "group", (principal,), ("Read",), "prefixed"),
    ]


def intel_principal(country: str) -> str:
    return f"intel-{country.lower()}"


def intel_grants(settings: Settings, country: str) -> list[Grant]:
    """The agency desk that contributes watchlist entries. Kafka ACLs cannot restrict keys, so an
    agency could overwrite another's entry_id; entry ids are prefixed by country and the topic is audited."""
    return [Grant(intel_principal(country), "topic", (settings.topic_watchlist,), ("Read", "Write"))]


def checkpoint_grants(settings: Settings, country: str) -> list[Grant]:
    return [Grant(checkpoint_principal(country), "topic",
                  (settings.topic_crossings, settings.topic_document_checks), ("Write",))]


def borderwatch_grants(settings: Settings, *, worker: str = "worker",
                       officer_countries: Iterable[str] = MEKONG_COUNTRIES,
                       checkpoint_countries: Iterable[str] = MEKONG_COUNTRIES) -> list[Grant]:
    """Every ACL of a BorderWatch deployment. The administrator is a super user and needs none."""
    grants = worker_grants(settings, worker)
    for country in officer_countries:
        grants += officer_grants(settings, country)
    for country in checkpoint_countries:
        grants += checkpoint_grants(settings, country)
    for country in officer_countries:
        grants += intel_grants(settings, country)
    return grants


def apply_grants(run_tool: Callable[..., str], bootstrap: str, command_config: str,
                 grants: Iterable[Grant]) -> None:
    """Create the ACLs with AclCommand, e.g. `apply_grants(local_kafka.run_tool, ...)`. Idempotent."""
    for grant in grants:
        run_tool(ACL_COMMAND, "--bootstrap-server", bootstrap, "--command-config", command_config,
                 *grant.acl_command_args())


async def precreate_topics(admin_settings: Settings) -> list[str]:
    """As the administrator: every BorderWatch topic plus Faust's leader topic. Returns those created."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    from streams.topics import ensure_topics

    created = await ensure_topics(admin_settings)
    admin = AIOKafkaAdminClient(**admin_settings.aiokafka_kwargs())
    await admin.start()
    try:
        name = leader_topic(admin_settings)
        if name not in set(await admin.list_topics()):
            await admin.create_topics([NewTopic(name, 1, 1)])
            created.append(name)
    finally:
        await admin.close()
    return created


def acl_bindings(grants: Iterable[Grant]) -> list[tuple[str, str, str, str, str]]:
    """The distinct ACL bindings (principal, resource type, pattern, name, operation), sorted."""
    return sorted({row for g in grants for row in g.rows()})


def markdown_table(grants: Iterable[Grant]) -> str:
    lines = ["| principal | resource | pattern | names | operations |", "|---|---|---|---|---|"]
    lines += [f"| `User:{g.principal}` | {g.resource_type} | {g.pattern} | "
              + ", ".join(f"`{n}`" for n in g.names) + " | " + ", ".join(g.operations) + " |" for g in grants]
    return "\n".join(lines)


def main() -> None:  # pragma: no cover - documentation helper
    """Print the kafka-acls.sh commands for the current BW_* settings (no secrets involved)."""
    settings = Settings()  # type: ignore[call-arg]
    for grant in borderwatch_grants(settings):
        print("kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties "
              + " ".join(grant.acl_command_args()))


if __name__ == "__main__":  # pragma: no cover
    main()
