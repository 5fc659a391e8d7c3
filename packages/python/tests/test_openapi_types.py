"""The Python types against the committed ``openapi.json``: field names, which are required,
which may be null, and the enums. Fails when the relay's contract and this SDK disagree."""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path
from typing import Any, Dict, Literal, Set, Union

import pytest

from agent_otp import models
from agent_otp._error_mapping import CLASS_FOR_CODE
from agent_otp._model import json_name

OPENAPI = json.loads((Path(__file__).resolve().parents[3] / "openapi.json").read_text())
SCHEMAS = OPENAPI["components"]["schemas"]


def schema(name: str) -> Dict[str, Any]:
    found = SCHEMAS[name]
    return SCHEMAS[found["$ref"].rsplit("/", 1)[-1]] if "$ref" in found else found


def nullable(prop: Dict[str, Any]) -> bool:
    if "$ref" in prop:
        prop = schema(prop["$ref"].rsplit("/", 1)[-1])
    kind = prop.get("type")
    return (isinstance(kind, list) and "null" in kind) or any(
        option.get("type") == "null" for option in prop.get("anyOf", [])
    )


def enum_of(prop: Dict[str, Any]) -> Set[Any]:
    if "$ref" in prop:
        prop = schema(prop["$ref"].rsplit("/", 1)[-1])
    return set(prop.get("enum", []))


PAIRS = [
    (models.OTPRequest, lambda: schema("OtpRequest")),
    (models.RequestFilter, lambda: schema("OtpRequest")["properties"]["filter"]),
    (models.Decision, lambda: schema("Decision")),
    (models.ConsumeOTPResponse, lambda: schema("ConsumeOtpResponse")),
    (models.PermissionRequest, lambda: schema("PermissionRequest")),
    (models.PolicyRef, lambda: schema("PermissionRequest")["properties"]["policy"]),
    (models.VerifyTokenResult, lambda: schema("VerifyTokenResponse")),
    (models.UseTokenResult, lambda: schema("UseTokenResponse")),
    (models.CreateOTPRequestBody, lambda: schema("CreateOtpRequest")),
    (models.CreatePermissionRequestBody, lambda: schema("CreatePermissionRequest")),
]


def literal_values(hint: Any) -> Set[Any]:
    args = typing.get_args(hint)
    if typing.get_origin(hint) is Union:
        return set().union(*(literal_values(arg) for arg in args if arg is not type(None)))
    return set(args) if typing.get_origin(hint) is Literal else set()


@pytest.mark.parametrize("cls, openapi", PAIRS, ids=[cls.__name__ for cls, _ in PAIRS])
def test_dataclass_matches_the_schema(cls, openapi):
    spec = openapi()
    properties = spec["properties"]
    hints = typing.get_type_hints(cls)
    fields = {json_name(f.name): f for f in dataclasses.fields(cls)}
    assert set(fields) == set(properties), f"{cls.__name__}: fields differ from the OpenAPI schema"
    required = {key for key, f in fields.items() if f.default is dataclasses.MISSING}
    assert required == set(spec.get("required", [])), f"{cls.__name__}: required fields differ"
    for key, field in fields.items():
        may_be_none = type(None) in typing.get_args(hints[field.name])
        if key in required:
            assert may_be_none == nullable(properties[key]), f"{cls.__name__}.{field.name}: nullability differs"
        allowed = enum_of(properties[key])
        if allowed and literal_values(hints[field.name]):
            assert literal_values(hints[field.name]) == allowed, f"{cls.__name__}.{field.name}: enum differs"


def test_filter_keys_match_the_schema():
    assert {json_name(key) for key in models.OTPFilter.__annotations__} == set(schema("OtpFilter")["properties"])
    assert schema("OtpFilter").get("required", []) == []


def test_statuses_match_the_schema():
    assert set(typing.get_args(models.OTPStatus)) == enum_of(SCHEMAS["OtpStatus"])
    assert set(typing.get_args(models.PermissionStatus)) == enum_of(SCHEMAS["PermissionStatus"])
    assert set(typing.get_args(models.OTPSource)) == set(schema("OtpFilter")["properties"]["sources"]["items"]["enum"])
    assert models.SETTLED_STATUSES < set(typing.get_args(models.OTPStatus))


def test_every_error_code_has_a_class():
    codes = set(SCHEMAS["Error"]["properties"]["error"]["properties"]["code"]["enum"])
    assert codes - {"RATE_LIMITED"} == set(CLASS_FOR_CODE)
