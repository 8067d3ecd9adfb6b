"""Document flag codes and their wording for duty officers.

Codes are short and stable (they go on the wire in `Alert.document_flags`); a code may carry one
`:<field>` suffix naming the MRZ field concerned.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "document_number": "document number",
        "birth_date": "date of birth",
        "expiry_date": "expiry date",
        "optional_data": "optional data / personal number",
        "composite": "whole zone (composite)",
        "document_type": "document type",
        "issuing_country": "issuing state",
        "nationality": "nationality",
        "sex": "sex",
        "name": "name",
    }
)

DESCRIPTIONS: Mapping[str, str] = MappingProxyType(
    {
        "mrz_missing": "The document should carry a machine-readable zone but none was read.",
        "mrz_unreadable": "The machine-readable zone could not be read (wrong length, lines or characters).",
        "mrz_check_digit_failed": "A check digit in the machine-readable zone is wrong ({field}): "
        "possible misread, forgery or alteration. Re-read the document and inspect it.",
        "mrz_format_invalid": "A field of the machine-readable zone is malformed ({field}).",
        "mrz_number_mismatch": "The machine-readable zone's document number differs from the printed one.",
        "mrz_name_mismatch": "The name in the machine-readable zone differs from the holder's name.",
        "mrz_dob_mismatch": "The date of birth in the machine-readable zone differs from the holder's.",
        "mrz_sex_mismatch": "The sex in the machine-readable zone differs from the holder's.",
        "mrz_nationality_mismatch": "The nationality in the machine-readable zone differs from the holder's.",
        "mrz_issuing_country_mismatch": "The issuing state in the machine-readable zone differs from the "
        "document's.",
        "mrz_expiry_mismatch": "The expiry date in the machine-readable zone differs from the document's.",
        "document_expired": "The document has expired.",
    }
)


def describe(flag: str) -> str:
    """Officer-facing sentence for a flag code; unknown codes are returned as they are."""
    code, _, field = flag.partition(":")
    text = DESCRIPTIONS.get(code)
    if text is None:
        return flag
    return text.format(field=_FIELDS.get(field, field or "unknown field"))
