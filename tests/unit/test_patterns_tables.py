"""The pattern stage's Faust tables: RocksDB stores whose memory is bounded (streams/stages/patterns.py)."""

from __future__ import annotations

from pathlib import Path

from streams.app import create_app
from streams.settings import Settings
from streams.stages.patterns import CHECKPOINT_TABLE, PERSON_TABLE, ROCKSDB_OPTIONS, SOLO_TABLE


def test_each_pattern_table_is_rocksdb_with_small_memtables_and_cache(tmp_path: Path) -> None:
    runtime = create_app(Settings(kafka_bootstrap="127.0.0.1:1", metrics_port=0, worker_web_port=0, patterns=True,
                                  data_dir=tmp_path))
    for name in (CHECKPOINT_TABLE, PERSON_TABLE, SOLO_TABLE):
        store = runtime.app.tables[name].data
        assert type(store).__module__ == "faust.stores.rocksdb"  # not the app's memory:// fallback
        options = store.rocksdb_options
        assert options.write_buffer_size == ROCKSDB_OPTIONS["write_buffer_size"] <= 16 << 20
        assert options.max_write_buffer_number * options.write_buffer_size <= 32 << 20
        assert options.block_cache_size == ROCKSDB_OPTIONS["block_cache_size"] <= 64 << 20
