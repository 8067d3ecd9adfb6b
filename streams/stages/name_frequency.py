"""Keeps the name-frequency model (agents/matching/population.py) across restarts, through Kafka.

Every NAME_FREQUENCY interval each worker reads the topic and takes in the partitions it did not count
since (other workers', and after a restart its own; a partition it began counting before it read that
partition's record gets the record's counts added), then publishes the sketch of each event partition
it counted travellers from, as the compacted record of that partition. Read first, so that no record
is written over before it is taken in (a partition that moved here from another worker), and none of
its own records is taken for more counts. Nothing lives outside Kafka: a new worker starts from the
records, a rebalanced partition's counts move with it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import structlog

from agents.matching.population import decode_snapshots
from agents.watchlist import latest_values

if TYPE_CHECKING:
    from aiokafka import AIOKafkaProducer

    from agents.matching.population import PopulationModel
    from streams.runtime import Runtime

log = structlog.get_logger(__name__)


async def run_name_frequency(runtime: Runtime) -> None:
    model = runtime.ctx.population
    if model is None:
        return
    from streams.kafka_io import producer

    settings = runtime.settings
    while not await _take_in(runtime, model):  # never publish over records not yet read
        await asyncio.sleep(settings.name_frequency_interval_s)
    async with producer(settings) as prod:
        while True:
            await asyncio.sleep(settings.name_frequency_interval_s)
            if await _take_in(runtime, model):
                await _publish(runtime, model, prod)


async def _take_in(runtime: Runtime, model: PopulationModel) -> bool:
    from streams.history import read_records

    try:
        records = latest_values(await read_records(runtime.settings, runtime.settings.topic_name_frequency))
    except Exception as error:  # the model keeps counting; the next round reads again
        log.warning("name_frequency.read_failed", error=type(error).__name__)
        return False
    by_key = {key.decode(errors="replace"): value for key, value in records.items()}
    sketches, bad = await asyncio.get_running_loop().run_in_executor(None, decode_snapshots, by_key)
    taken = model.adopt(sketches)  # on the loop: screening reads and counts the same dict
    log.info("name_frequency.loaded", partitions=taken, unreadable=bad, travellers=model.total)
    return True


async def _publish(runtime: Runtime, model: PopulationModel, prod: AIOKafkaProducer) -> None:
    topic = runtime.settings.topic_name_frequency
    for key, data in model.changed_snapshots():
        try:
            await prod.send_and_wait(topic, key=key.encode(), value=data)
        except Exception as error:  # counted again next round: it stays in the model
            log.warning("name_frequency.publish_failed", error=type(error).__name__)
