"""Text per script: normalization, romanization (Thai, Lao, Khmer, Burmese, Chinese, Vietnamese,
Latin/MRZ) and the phonetic keys that survive spelling differences."""

from agents.matching import native as _native

_native.extend(__path__, "scripts")
