"""pythainlp's thai2rom model (github.com/artificiala/thai-romanization, Apache-2.0): a character
sequence-to-sequence network trained on romanized Thai names, whose ONNX files and vocabulary ship
with pythainlp. It reads Thai words in the Royal Thai General System with the vowels and syllable
breaks the script leaves unwritten.

Run here rather than through `pythainlp.transliterate.romanize(engine="thai2rom_onnx")`, with the
same files and the same greedy decoding, for one reason: pythainlp opens the sessions with
onnxruntime's default thread pool, one thread per core, and for a network this small those threads
spin more than they work. A watchlist names tens of thousands of distinct Thai words, each read once
when the index is built; one thread each reads them for less CPU, with the same results
(tests/unit/test_matching_thai.py; the cost: bench/results/realspell.md)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

#: pythainlp corpus names of the model's files.
ENCODER, DECODER, CONFIG = "thai2rom_encoder_onnx", "thai2rom_decoder_onnx", "thai2rom_config_onnx"
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
        providers = ["CPUExecutionProvider"]
        self.encoder: Any = ort.InferenceSession(encoder, options, providers=providers)
        self.decoder: Any = ort.InferenceSession(decoder, options, providers=providers)
        self.encoder_outputs = [output.name for output in self.encoder.get_outputs()]
        self.decoder_outputs = [output.name for output in self.decoder.get_outputs()[:2]]

    def read(self, word: str) -> str:
        """The word's reading in Latin letters ('' if the model ends at once)."""
        import numpy as np

        unknown = self.char_to_ix["<UNK>"]
        ids = [self.char_to_ix.get(ch, unknown) for ch in word] + [self.char_to_ix["<end>"]]
        source = np.array([ids], dtype=np.int64)
        outputs, both_ways, _ = self.encoder.run(
            self.encoder_outputs, {"input_tensor": source, "input_lengths": np.array([len(ids)], dtype=np.int32)})
        hidden = np.expand_dims(np.concatenate((both_ways[0], both_ways[1]), axis=1), axis=0)  # the two directions
        mask = (source[:, :outputs.shape[1]] != 0).astype(np.float32)
        token = np.array([[self.start]], dtype=np.int32)
        read: list[int] = []
        for _ in range(MAX_LENGTH):
            scores, hidden = self.decoder.run(
                self.decoder_outputs,
                {"decoder_input": token, "decoder_hidden_1": hidden, "encoder_outputs": outputs, "mask": mask})
            best = int(np.argmax(scores, axis=1)[0])
            if best == self.end:
                break
            read.append(best)
            cut = loop_cut(read)
            if cut is not None:
                del read[cut:]
                break
            token = np.array([[best]], dtype=np.int32)
        return "".join(self.ix_to_char[i] for i in read)


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


def read_thai(word: str) -> str | None:
    """The model's reading of one Thai word (None without the model)."""
    found = model()
    return found.read(word) if found is not None else None
