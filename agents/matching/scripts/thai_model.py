"""pythainlp's thai2rom model (github.com/artificiala/thai-romanization, Apache-2.0): a character
sequence-to-sequence network trained on romanized Thai names, whose ONNX files and vocabulary ship
with pythainlp. It reads Thai words in the Royal Thai General System with the vowels and syllable
breaks the script leaves unwritten.

Run here rather than through `pythainlp.transliterate.romanize(engine="thai2rom_onnx")`, with the
same files and the same greedy decoding, for one reason: pythainlp opens the sessions with
onnxruntime's default thread pool, one thread per core, and for a network this small those threads
spin more than they work. A watchlist names tens of thousands of distinct Thai words, each read once
when the index is built; one thread each reads them for less CPU, with the same results
(tests/unit/test_matching_thai.py; the cost: bench/results/realspell.md).

A watchlist build reads its words in batches (`Thai2Rom.read_many`, agents/matching/scripts/thai_ahead.py):
one run of each network for many words of the same length, rather than a run of the encoder and one of
the decoder per letter read for each word, costs a fraction of the CPU per word. Words of one length
need no padding, so each row of a batch is computed as it is alone, and the readings are the same,
byte for byte, as one word at a time (tests/unit/test_matching_thai.py; the cost:
bench/results/watchlist-ready-thai.md). The model files declare a batch of one: copies with that
dimension freed are made once (agents/matching/scripts/onnx_batch.py); without them, one word at a time."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from types import MappingProxyType
from typing import Any

#: pythainlp corpus names of the model's files.
ENCODER, DECODER, CONFIG = "thai2rom_encoder_onnx", "thai2rom_decoder_onnx", "thai2rom_config_onnx"
#: Words of one length decoded together (beyond a few dozen, a larger batch saves little more).
BATCH = 64
#: The batch dimension of each network's inputs and outputs (`onnx_batch.free_batch`).
ENCODER_BATCH_AXES = MappingProxyType({"input_tensor": 0, "input_lengths": 0})
DECODER_BATCH_AXES = MappingProxyType({"decoder_input": 0, "decoder_hidden_1": 1, "encoder_outputs": 0, "mask": 0,
                                       "decoder_output": 0, "decoder_hidden_2": 1, "54": 0})
#: The longest reading decoded (pythainlp's own limit).
MAX_LENGTH = 100
#: A greedy decoder whose attention is trapped repeats a short cycle instead of ending: stopped once
#: a cycle of up to this many characters repeats this many times, one copy kept (as pythainlp does).
LOOP_PERIOD, LOOP_REPEATS = 12, 3


class Thai2Rom:
    """The model's two sessions and vocabulary, loaded once per process (`model()`)."""

    def __init__(self) -> None:
        import onnxruntime as ort
        from pythainlp.corpus import get_corpus_path

        paths = [get_corpus_path(name) for name in (ENCODER, DECODER, CONFIG)]
        if not all(paths):
            raise FileNotFoundError("pythainlp's thai2rom model files are not installed")
        encoder, decoder, config = (str(path) for path in paths)
        with open(config, encoding="utf-8") as fh:
            loaded = json.load(fh)
        self.char_to_ix: dict[str, int] = loaded["char_to_ix"]
        self.ix_to_char: dict[int, str] = {int(k): v for k, v in loaded["ix_to_target_char"].items()}
        self.start: int = loaded["target_char_to_ix"]["<start>"]
        self.end: int = loaded["target_char_to_ix"]["<end>"]
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # A batch shrinks as its rows end, so the shapes run are many: a memory plan kept per shape, or
        # an arena grown for the largest, would only hold memory that the build needs.
        options.enable_mem_pattern = False
        options.enable_cpu_mem_arena = False
        from agents.matching.scripts.onnx_batch import batched_file

        batched = [batched_file(encoder, ENCODER_BATCH_AXES), batched_file(decoder, DECODER_BATCH_AXES)]
        #: Words read in one run: one where the model files could not be given a free batch dimension.
        self.batch = BATCH if all(batched) else 1
        if self.batch > 1:
            encoder, decoder = (str(path) for path in batched)
        providers = ["CPUExecutionProvider"]
        self.encoder: Any = ort.InferenceSession(encoder, options, providers=providers)
        self.decoder: Any = ort.InferenceSession(decoder, options, providers=providers)
        self.encoder_outputs = [output.name for output in self.encoder.get_outputs()]
        self.decoder_outputs = [output.name for output in self.decoder.get_outputs()[:2]]
        #: Readings made ahead, in batches, for a build under way (`thai_ahead.reading_ahead`).
        self.ahead: dict[str, str] = {}

    def read(self, word: str) -> str:
        """The word's reading in Latin letters ('' if the model ends at once)."""
        found = self.ahead.get(word)
        return found if found is not None else self.read_many([word])[word]

    def read_many(self, words: Iterable[str]) -> dict[str, str]:
        """The readings of several words, `read`'s own, for each distinct word."""
        unknown, end = self.char_to_ix["<UNK>"], self.char_to_ix["<end>"]
        by_length: dict[int, list[tuple[str, list[int]]]] = {}
        for word in dict.fromkeys(words):
            ids = [self.char_to_ix.get(ch, unknown) for ch in word] + [end]
            by_length.setdefault(len(ids), []).append((word, ids))
        out: dict[str, str] = {}
        for same_length in by_length.values():
            for first in range(0, len(same_length), self.batch):
                batch = same_length[first : first + self.batch]
                for (word, _), read in zip(batch, self._decode([ids for _, ids in batch]), strict=True):
                    out[word] = "".join(self.ix_to_char[i] for i in read)
        return out

    def _decode(self, rows: list[list[int]]) -> list[list[int]]:
        """Greedy decoding of source rows of one length, each row stopped at its own end token or
        loop (`loop_cut`) and dropped from the batch from then on."""
        import numpy as np

        source = np.array(rows, dtype=np.int64)
        outputs, both_ways, _ = self.encoder.run(
            self.encoder_outputs,
            {"input_tensor": source, "input_lengths": np.full(len(rows), source.shape[1], dtype=np.int32)})
        hidden = np.expand_dims(np.concatenate((both_ways[0], both_ways[1]), axis=1), axis=0)  # the two directions
        mask = (source[:, :outputs.shape[1]] != 0).astype(np.float32)
        token = np.full((len(rows), 1), self.start, dtype=np.int32)
        reads: list[list[int]] = [[] for _ in rows]
        alive = list(range(len(rows)))  # the rows of `reads` still decoded, in batch order
        for _ in range(MAX_LENGTH):
            scores, hidden = self.decoder.run(
                self.decoder_outputs,
                {"decoder_input": token, "decoder_hidden_1": hidden, "encoder_outputs": outputs, "mask": mask})
            best = np.argmax(scores, axis=1)
            going: list[int] = []
            for j, row in enumerate(alive):
                if best[j] == self.end:
                    continue
                read = reads[row]
                read.append(int(best[j]))
                cut = loop_cut(read)
                if cut is not None:
                    del read[cut:]
                    continue
                going.append(j)
            if not going:
                break
            if len(going) < len(alive):
                kept = np.array(going)
                hidden, outputs, mask, best = hidden[:, kept], outputs[kept], mask[kept], best[kept]
                alive = [alive[j] for j in going]
            token = best.astype(np.int32).reshape(-1, 1)
        return reads


def loop_cut(read: list[int]) -> int | None:
    """Where to cut a reading that ends in a short cycle repeated `LOOP_REPEATS` times, so that one
    turn of the cycle is kept; None while it does not."""
    for period in range(1, LOOP_PERIOD + 1):
        span = period * LOOP_REPEATS
        if len(read) >= span and all(read[-i] == read[-i - period] for i in range(1, span - period + 1)):
            return len(read) - span + period
    return None


@lru_cache(maxsize=1)
def model() -> Thai2Rom | None:
    """The model, or None where pythainlp's files or onnxruntime are missing (the other readings remain)."""
    try:
        return Thai2Rom()
    except (ImportError, FileNotFoundError, OSError):  # pragma: no cover - both are declared dependencies
        return None


def whole_sara_am(word: str) -> str:
    """The word with SARA AM (ำ) whole, as every reading takes it: NFKC splits it in two."""
    return word.replace("\u0e4d\u0e32", "\u0e33")


def read_thai(word: str) -> str | None:
    """The model's reading of one Thai word (None without the model)."""
    found = model()
    return found.read(word) if found is not None else None
