"""ONNX model files with their batch dimension set free, so that one run reads several words.

pythainlp's thai2rom files were exported with a batch of one written into the shapes of the graph's
inputs and outputs, and onnxruntime refuses any other batch size for them; the operators inside take
their shapes from the tensors they are given. Only those declared dimensions are made symbolic, with
the `onnx` package: every weight and operator stays as it is.

The rewritten files are kept in a cache directory, and made there by a child process running this file:
the `onnx` package costs a worker memory it would hold for its lifetime, for a rewrite needed once per
machine. Without them (no `onnx`, no writable cache), the model is read one word at a time, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: The symbolic name given to each freed dimension.
BATCH_DIM = "batch"
#: Where the rewritten files are kept (`BW_MODEL_CACHE`, else .cache/models in the checkout: the repo's
#: other generated files live in .cache too).
CACHE = Path(os.environ.get("BW_MODEL_CACHE") or Path(__file__).resolve().parents[3] / ".cache" / "models")
#: A rewrite is quick; a child that takes this long is not coming back.
TIMEOUT_S = 120.0


def free_batch(model: bytes, axes: Mapping[str, int]) -> bytes:
    """The serialized model with dimension `axes[name]` of each named graph input and output made the
    symbolic dimension BATCH_DIM. Raises ValueError when a named value is missing or has no such
    dimension."""
    import onnx

    proto = onnx.load_from_string(model)
    seen: set[str] = set()
    for value in (*proto.graph.input, *proto.graph.output):
        if value.name not in axes:
            continue
        dims = value.type.tensor_type.shape.dim
        axis = axes[value.name]
        if axis >= len(dims):
            raise ValueError(f"{value.name} has no dimension {axis}")
        dims[axis].dim_param = BATCH_DIM  # one of dim_value / dim_param: this clears the fixed size
        seen.add(value.name)
    missing = set(axes) - seen
    if missing:
        raise ValueError(f"no graph input or output named {sorted(missing)}")
    return bytes(proto.SerializeToString())


def batched_file(path: str, axes: Mapping[str, int]) -> str | None:
    """The cached copy of the model file at `path` with its batch dimension freed (`free_batch`), made
    by a child process when missing; None when it cannot be made."""
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read())
    digest.update(json.dumps(sorted(axes.items())).encode())
    target = CACHE / f"{Path(path).stem}.{digest.hexdigest()[:16]}.onnx"
    if target.exists():
        return str(target)
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, __file__, path, str(target), json.dumps(dict(axes))],
                       check=True, capture_output=True, timeout=TIMEOUT_S)
    except (OSError, subprocess.SubprocessError):
        return None
    return str(target) if target.exists() else None


def main(argv: list[str]) -> int:
    """SOURCE TARGET AXES_JSON: writes the rewritten model to TARGET (atomically: a reader never sees half a file)."""
    source, target, axes = argv
    with open(source, "rb") as fh:
        rewritten = free_batch(fh.read(), json.loads(axes))
    partial = f"{target}.{os.getpid()}.tmp"
    with open(partial, "wb") as fh:
        fh.write(rewritten)
    os.replace(partial, target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
