"""Packaging: Python 3.10 syntax, typed, metadata complete, names exported."""

from __future__ import annotations

import ast
import re
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


def test_a_wheel_builds_with_its_metadata_and_works(tmp_path):
    import shutil
    import subprocess
    import sys
    import zipfile

    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns("__pycache__", "tests", "test"))
    built = subprocess.run(
        [sys.executable, "-c", "import sys; from setuptools import build_meta as b; print(b.build_wheel(sys.argv[1]))", str(tmp_path)],
        cwd=source, capture_output=True, text=True, timeout=120,
    )
    assert built.returncode == 0, built.stderr
    wheel = tmp_path / built.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read("agent_otp-0.1.0.dist-info/METADATA").decode()
        archive.extractall(tmp_path / "installed")
    assert "agent_otp/py.typed" in names and "agent_otp-0.1.0.dist-info/LICENSE" in names
    for line in ("Name: agent-otp", "License: MIT", "Requires-Python: >=3.10"):
        assert line in metadata
    # setuptools writes "name (>=x)" or "name>=x" depending on its version.
    for requirement in (r"cryptography ?\(?>=38\)?", r"httpx ?\(?>=0\.23\)?"):
        assert re.search(rf"^Requires-Dist: {requirement}$", metadata, re.M), requirement
    assert "## Quick start" in metadata, "the README is the long description"
    imported = subprocess.run(
        [sys.executable, "-c", "import agent_otp; print(agent_otp.__file__)"],
        env={"PYTHONPATH": str(tmp_path / "installed"), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True, text=True, timeout=60,
    )
    assert imported.returncode == 0 and str(tmp_path / "installed") in imported.stdout, imported.stderr
