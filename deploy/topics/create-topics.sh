#!/usr/bin/env bash
# Create every BorderWatch topic (idempotent). Mirrors streams/topics.py:topic_specs().
# Runs in the apache/kafka image (docker-compose service `kafka-init`) or anywhere kafka-topics.sh is.
set -euo pipefail

BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
EVENT_PARTITIONS="${EVENT_PARTITIONS:-6}"
REPLICATION="${REPLICATION:-1}"
KAFKA_TOPICS="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"
COUNTRIES=(CHN MMR LAO THA KHM VNM)
DAY_MS=86400000

create() {  # name partitions [--config k=v ...]
  local name="$1" partitions="$2"; shift 2
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "$REPLICATION" "$@"
}

for _ in $(seq 1 30); do
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --list >/dev/null 2>&1 && break
  echo "waiting for Kafka at $BOOTSTRAP"; sleep 2
done

create border.crossings        "$EVENT_PARTITIONS" --config retention.ms=$((31 * DAY_MS))
create border.document-checks  "$EVENT_PARTITIONS" --config retention.ms=$((31 * DAY_MS))
create watchlist.entries       1 --config cleanup.policy=compact --config min.compaction.lag.ms=0
create alerts                  "$EVENT_PARTITIONS" --config retention.ms=$((30 * DAY_MS))
for c in "${COUNTRIES[@]}"; do
  create "alerts.$c"           1
done
create alerts.decisions        1
create events.dead-letter      "$EVENT_PARTITIONS" --config retention.ms=$((30 * DAY_MS))
create borderwatch.alert-candidates 1
create borderwatch.name-frequency 1 --config cleanup.policy=compact --config min.compaction.lag.ms=0

"$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --list
