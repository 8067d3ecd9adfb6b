"""All configuration in one place: environment variables with the BW_ prefix (or a .env file).

Built once at the entry point (`Settings()`), then passed down; nothing reads the environment at import.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BW_", env_file=".env", extra="ignore", frozen=True)

    # --- Kafka connection (any cluster; the demo and tests start a local one) ---
    kafka_bootstrap: str = Field("127.0.0.1:9092", description="Kafka bootstrap servers, comma-separated.")
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_sasl_password_file: Path | None = Field(None, description="Read the SASL password from this file.")
    kafka_ssl_cafile: Path | None = None
    kafka_ssl_certfile: Path | None = None
    kafka_ssl_keyfile: Path | None = None

    # --- topics (the wire contract; override only to namespace a shared cluster) ---
    topic_crossings: str = "border.crossings"
    topic_document_checks: str = "border.document-checks"
    topic_watchlist: str = "watchlist.entries"
    topic_alerts: str = "alerts"
    topic_decisions: str = "alerts.decisions"
    topic_dead_letter: str = "events.dead-letter"
    topic_alert_candidates: str = "borderwatch.alert-candidates"
    topic_name_frequency: str = "borderwatch.name-frequency"
    event_partitions: int = 6

    # --- worker ---
    app_id: str = "borderwatch"
    worker_web_port: int = Field(6066, description="Faust's own web port (0 = disabled).")
    metrics_host: str = "0.0.0.0"
    metrics_port: int = Field(9108, description="Prometheus /metrics port (0 = disabled).")
    data_dir: Path = Field(Path(".cache/worker"), description="Faust table state directory.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_message_bytes: int = Field(1_048_576, description="Larger event messages are dead-lettered.")
    session_timeout_s: float = Field(10.0, description="Consumer group session timeout (takeover time).")
    stall_timeout_s: float = Field(
        60.0, description="Restart the worker process when waiting events see no progress this long.")
    supervise: bool = Field(True, description="Run the worker under a supervisor that restarts it.")
    event_loop: Literal["auto", "uvloop", "asyncio"] = Field(
        "auto", description="Worker event loop: uvloop when installed (auto), or the stdlib asyncio loop.")
    screening_path: Literal["batch", "faust"] = Field(
        "batch", description="Screen events in batches on a plain aiokafka consumer (group <app_id>-screen), "
                             "or with the Faust agent (group <app_id>).")
    screening_fetch_wait_ms: int = Field(
        5, ge=0, le=100,
        description="The batch screening consumer lets the broker hold a fetch this long for more events "
                    "(0: answer with the first): live traffic then comes in fewer, larger fetches, each of "
                    "which costs the worker CPU; an alert waits at most this much longer.")
    name_frequency: bool = Field(
        True, description="Learn how common names are from the travellers screened (agents/matching/population.py): "
                          "a name common at the border needs a date of birth or document to alert.")
    name_frequency_interval_s: float = Field(
        30.0, gt=0, description="How often each worker publishes its partitions' name counts and sums all workers'.")
    watchlist_build_helper: bool = Field(
        True, description="Bulk builds of 50,000 entries or more, on a host with an idle core, file most "
                          "blocking keys in a helper process there (agents/key_helper.py).")
    patterns: bool = Field(
        False, description="Run the travel-pattern detectors (streams/stages/patterns.py): Faust tables on RocksDB.")
    patterns_config: str = Field(
        "", description="JSON overrides of the pattern detectors' PatternConfig (agents/patterns/config.py).")
    table_standby_replicas: int = Field(
        1, ge=0, description="Standby copies of each table partition (the pattern tables) kept up to date from "
                             "the changelog on other workers, so a takeover replays only the latest changes. "
                             "Only takes effect where more than one worker runs.")

    # --- screening and alert policy ---
    threshold_suspect: float | None = None
    threshold_missing_person: float | None = None
    threshold_suspected_victim: float | None = None
    suppression_window_s: float = Field(1800.0, description="Repeat hits within this window merge.")
    false_positive_suppression_s: float = Field(30 * 86400.0, description="How long an FP decision mutes.")
    retro_screen_days: float = Field(30.0, description="Look-back when a watchlist entry is added/changed.")

    # --- officer web console (streams/console/web, docs/console.md) ---
    console_host: str = "127.0.0.1"
    console_port: int = 8088
    console_accounts: Path = Field(Path(".cache/console/officers.sqlite3"), description="Officer accounts (SQLite).")
    console_session_secret: SecretStr | None = Field(
        None, description="Cookie-signing key (default: a key file made once beside the accounts file).")
    console_cookie_secure: bool = Field(True, description="Send the session cookie over HTTPS only.")
    console_sla_s: dict[str, float] = Field(
        default_factory=lambda: {"critical": 900.0}, description="Seconds to a decision, per alert priority.")
    console_sla_default_s: float = Field(43200.0, description="Seconds to a decision for the other priorities.")
    console_client_queue: int = Field(1000, description="Changes buffered per browser before it is dropped.")
    console_heartbeat_s: float = Field(15.0, description="Seconds between SSE heartbeat comments.")

    def sasl_password(self) -> str | None:
        if self.kafka_sasl_password_file is not None:
            return self.kafka_sasl_password_file.read_text().strip()
        return self.kafka_sasl_password.get_secret_value() if self.kafka_sasl_password else None

    def ssl_context(self) -> ssl.SSLContext:
        """TLS context from the CA and (for mutual TLS) client certificate settings."""
        from aiokafka.helpers import create_ssl_context

        def path(value: Path | None) -> str | None:
            return str(value) if value else None

        return create_ssl_context(cafile=path(self.kafka_ssl_cafile), certfile=path(self.kafka_ssl_certfile),
                                  keyfile=path(self.kafka_ssl_keyfile))

    def aiokafka_kwargs(self) -> dict[str, object]:
        """Connection settings for aiokafka clients (producer, consumer, admin)."""
        kwargs: dict[str, object] = {
            "bootstrap_servers": self.kafka_bootstrap,
            "security_protocol": self.kafka_security_protocol,
        }
        if self.kafka_security_protocol in ("SSL", "SASL_SSL"):
            kwargs["ssl_context"] = self.ssl_context()
        if self.kafka_security_protocol.startswith("SASL"):
            kwargs["sasl_mechanism"] = self.kafka_sasl_mechanism or "SCRAM-SHA-512"
            kwargs["sasl_plain_username"] = self.kafka_sasl_username
            kwargs["sasl_plain_password"] = self.sasl_password()
        return kwargs

    def thresholds_override(self) -> dict[str, float]:
        pairs = {
            "suspect": self.threshold_suspect,
            "missing_person": self.threshold_missing_person,
            "suspected_victim": self.threshold_suspected_victim,
        }
        return {k: v for k, v in pairs.items() if v is not None}
