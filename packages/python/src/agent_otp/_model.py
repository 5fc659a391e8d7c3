"""Reading the relay's JSON into typed dataclasses, refusing bodies the relay never sends."""

from __future__ import annotations

import dataclasses
import re
import sys
import typing
from typing import Any, Dict, Type, TypeVar, Union

from .errors import ServerError

T = TypeVar("T")


def json_name(field_name: str) -> str:
    """The relay's camelCase name of a snake_case field (``approval_url`` → ``approvalUrl``)."""
    head, *rest = field_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def snake_name(json_key: str) -> str:
    """The snake_case name of a camelCase key (``approvalUrl`` → ``approval_url``)."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", json_key).lower()


def _invalid(cls: type, why: str) -> ServerError:
    return ServerError(
        f"the server answered with an unexpected shape ({cls.__name__}: {why}); "
        "is AGENT_OTP_URL an Agent OTP relay?",
        code="INVALID_RESPONSE",
    )


def _hints(cls: type) -> Dict[str, Any]:
    return typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))


def _convert(cls: type, name: str, hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is Union:
        if value is None:
            if type(None) in args:
                return None
            raise _invalid(cls, f"{name} must not be null")
        inner = [arg for arg in args if arg is not type(None)]
        return _convert(cls, name, inner[0], value)
    if origin is typing.Literal:
        if value not in args:
            raise _invalid(cls, f"{name} is {value!r}, not one of {list(args)}")
        return value
    if origin in (list, tuple):
        if not isinstance(value, list):
            raise _invalid(cls, f"{name} must be a list")
        return [_convert(cls, name, args[0], item) for item in value] if args else list(value)
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise _invalid(cls, f"{name} must be an object")
        return dict(value)
    if dataclasses.is_dataclass(hint):
        return from_json(hint, value)  # type: ignore[arg-type]
    if hint is bool:
        if not isinstance(value, bool):
            raise _invalid(cls, f"{name} must be a boolean")
        return value
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _invalid(cls, f"{name} must be an integer")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise _invalid(cls, f"{name} must be a string")
        return value
    return value


def from_json(cls: Type[T], data: Any) -> T:
    """Builds ``cls`` from the relay's JSON object: every required field present and of its
    type; unknown keys (a newer relay's additions) are ignored."""
    if not isinstance(data, dict):
        raise _invalid(cls, "not a JSON object")
    hints = _hints(cls)
    values: Dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        key = json_name(field.name)
        required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        if key not in data:
            if required:
                raise _invalid(cls, f"{key} is missing")
            continue
        values[field.name] = _convert(cls, key, hints[field.name], data[key])
    return cls(**values)


def to_json(value: Any) -> Any:
    """A dataclass (or dict/list of them) as the relay's camelCase JSON, without unset optionals."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            optional = field.default is not dataclasses.MISSING
            if item is None and optional:
                continue
            result[json_name(field.name)] = to_json(item)
        return result
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value
