"""The habits the project keeps, checked: the pre-commit hook runs the ruff that
requirements.lock pins, and the project says it is not a package to install."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def locked_version(name):
    match = re.search(rf"^{name}==(\S+)$", (ROOT / "requirements.lock").read_text(), re.M)
    assert match, f"{name} is not pinned in requirements.lock"
    return match.group(1)


def test_the_pre_commit_hook_runs_the_locked_ruff():
    config = (ROOT / ".pre-commit-config.yaml").read_text()
    assert "repo: https://github.com/astral-sh/ruff-pre-commit" in config
    assert f"rev: v{locked_version('ruff')}\n" in config
    assert "id: ruff-check" in config and "id: ruff-format" in config


def test_the_project_says_it_is_not_a_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["uv"]["package"] is False
    assert "build-system" not in pyproject
