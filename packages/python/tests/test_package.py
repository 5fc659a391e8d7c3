"""Packaging: Python 3.10 syntax, typed, metadata complete, names exported."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import agent_otp

ROOT = Path(__file__).resolve().parents[1]


def test_sources_parse_as_python_3_10():
    for path in sorted((ROOT / "src").rglob("*.py")):
        ast.parse(path.read_text(), str(path), feature_version=(3, 10))


def test_metadata_is_complete():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "agent-otp" and project["requires-python"] == ">=3.10"
    assert project["dependencies"] == ["cryptography>=38", "httpx>=0.23"]
    assert project["license"] == {"text": "MIT"} and (ROOT / "LICENSE").read_text().startswith("MIT")
    assert (ROOT / project["readme"]).is_file()
    assert (ROOT / "src" / "agent_otp" / "py.typed").is_file()


def test_everything_in_all_is_exported():
    for name in agent_otp.__all__:
        assert hasattr(agent_otp, name), name
