"""Document validation (ICAO 9303 MRZ) for document checks. Pure: no I/O, no Kafka, no clock of its own."""

from agents.documents.check import check_document
from agents.documents.check_digit import check_digit
from agents.documents.flags import DESCRIPTIONS, describe
from agents.documents.mrz import Mrz, MrzResult, normalize_lines, parse_mrz

__all__ = [
    "DESCRIPTIONS",
    "Mrz",
    "MrzResult",
    "check_digit",
    "check_document",
    "describe",
    "normalize_lines",
    "parse_mrz",
]
