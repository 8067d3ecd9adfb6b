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

from agents.patterns.models import EVERY_FIELD

_M = TypeVar("_M", bound=BaseModel)


def fields_of(model: BaseModel) -> dict[str, Any]:
    """A model's field values by name (pydantic keeps them in the instance's dict): read so, a field costs a
    dict lookup, where an attribute goes through pydantic's `__getattr__` hook and the class's lookups
    (several times the cost, and the detectors read hundreds of fields per crossing)."""
    fields: dict[str, Any] = model.__dict__
    return fields


def _every_field(cls: type[BaseModel], fields: dict[str, Any]) -> set[str]:
    """`set(fields)`, as validation would store it: the model's one shared set when `fields` holds every
    field (`models.EVERY_FIELD`)."""
    every = EVERY_FIELD.get(cls)
    if every is not None and len(fields) == len(every):
        return every
    return set(fields)


def new(cls: type[_M], fields: dict[str, Any]) -> _M:
    """`cls(**fields)` without validation: `fields` holds every field of `cls`, in its order, each value of
    the field's type as validation would store it (a test holds the models made so to validated ones)."""
    made = cls.__new__(cls)
    object.__setattr__(made, "__dict__", fields)
    object.__setattr__(made, "__pydantic_fields_set__", _every_field(cls, fields))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def evolve(model: _M, update: dict[str, Any]) -> _M:
    """`model.model_copy(update=update)`, without its generic deep-copy machinery (several copies per
    crossing): the copy shares every other field's value, as `model_copy` does. Like `model_copy`, no
    validation."""
    made = type(model).__new__(type(model))
    object.__setattr__(made, "__dict__", {**model.__dict__, **update})
    fields_set = model.__pydantic_fields_set__
    if not all(name in fields_set for name in update):  # (a loop: `issuperset` would make a set of them)
        fields_set = fields_set | update.keys()
    object.__setattr__(made, "__pydantic_fields_set__", fields_set)
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made
