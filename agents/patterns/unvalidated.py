"""Frozen pydantic models made and copied without validation, on the per-crossing path.

Validating a model costs more than most steps of the detectors, and these are made several times per
crossing from values that are already of their fields' types: fields of validated models (a crossing, a
member), or what the functions that make them return. So `new` fills an instance's fields as validation
would store them, and `evolve` copies one with some fields replaced; neither checks anything. The models
are frozen and a field's value is only ever replaced, never changed in place, so copies share values.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

_M = TypeVar("_M", bound=BaseModel)


def new(cls: type[_M], fields: dict[str, Any]) -> _M:
    """`cls(**fields)` without validation: `fields` holds every field of `cls`, in its order, each value of
    the field's type as validation would store it (a test holds the models made so to validated ones)."""
    made = cls.__new__(cls)
    object.__setattr__(made, "__dict__", fields)
    object.__setattr__(made, "__pydantic_fields_set__", set(fields))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def evolve(model: _M, update: dict[str, Any]) -> _M:
    """`model.model_copy(update=update)`, without its generic deep-copy machinery (several copies per
    crossing): the copy shares every other field's value, as `model_copy` does. Like `model_copy`, no
    validation."""
    made = model.__class__.__new__(model.__class__)
    object.__setattr__(made, "__dict__", {**model.__dict__, **update})
    object.__setattr__(made, "__pydantic_fields_set__", model.__pydantic_fields_set__ | update.keys())
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made
