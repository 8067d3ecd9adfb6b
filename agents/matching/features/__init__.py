"""Feature functions: each is pure, `(query, candidate, context) -> Comparison | None`, and its
docstring is the explanation shown to officers."""

from agents.matching import native as _native

_native.extend(__path__, "features")

from agents.matching.features.base import Comparison, Context, Feature
from agents.matching.features.conflicts import other_birth_date, other_document_number
from agents.matching.features.dates import date_of_birth
from agents.matching.features.demographics import nationality, sex
from agents.matching.features.documents import travel_document
from agents.matching.features.identity import identity_agrees
from agents.matching.features.name import name_similarity, token_similarity

__all__ = [
    "Comparison",
    "Context",
    "Feature",
    "date_of_birth",
    "identity_agrees",
    "name_similarity",
    "nationality",
    "other_birth_date",
    "other_document_number",
    "sex",
    "token_similarity",
    "travel_document",
]
