"""A person as seen at a checkpoint or recorded on a watchlist."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from schemas.common import CountryCode, Inbound, PartialDate, ShortText


class Document(Inbound):
    """A travel document: passport, ID card, border pass..."""

    type: ShortText = Field(description="Document type, e.g. P (passport), ID, BP (border pass).")
    number: ShortText = Field(min_length=1, description="Document number as printed.")
    issuing_country: CountryCode | None = None
    expiry_date: PartialDate | None = None


class Person(Inbound):
    """Identity attributes. Every field is optional except that a person needs a name or a document."""

    given_names: ShortText | None = None
    surname: ShortText | None = None
    full_name: ShortText | None = Field(default=None, description="As written, in any script.")
    aliases: list[ShortText] = Field(default_factory=list, max_length=50)
    date_of_birth: PartialDate | None = None
    sex: Literal["F", "M", "X"] | None = None
    nationality: CountryCode | None = None
    documents: list[Document] = Field(default_factory=list, max_length=20)
    birth_year_range: tuple[int, int] | None = Field(
        default=None,
        description="Estimated birth years [earliest, latest] when the exact date is unknown "
        "(suspected victims identified by apparent age).",
    )

    @model_validator(mode="after")
    def _identifiable(self) -> Person:
        if not (self.full_name or self.surname or self.given_names or self.aliases or self.documents):
            raise ValueError("a person needs at least a name, an alias or a document")
        if self.birth_year_range is not None and self.birth_year_range[0] > self.birth_year_range[1]:
            raise ValueError("birth_year_range must be [earliest, latest]")
        return self

    def names(self) -> list[str]:
        """Every name form recorded for this person (full name, given+surname, aliases)."""
        # Plain statements, no generators: asked for every traveller screened and every entry indexed.
        full, given, surname = self.full_name, self.given_names, self.surname
        out: list[str] = [full] if full else []
        parts = given + " " + surname if given and surname else given or surname
        if parts and parts not in out:
            out.append(parts)
        for alias in self.aliases:
            if alias and alias not in out:
                out.append(alias)
        return out
