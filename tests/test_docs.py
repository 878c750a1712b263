"""Artefacts kept honest: the README opens with the two commands, documents every command, and shows the real
`kg --help`; every command has help text."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")
COMMANDS = ["build", "validate", "eval", "stats", "query", "queries", "load", "publish", "serve"]


def test_readme_opens_with_the_two_commands():
    head = "\n".join(README.splitlines()[:8])
    assert "make build" in head and "make test" in head


def test_readme_shows_the_real_help():
    env = dict(os.environ, COLUMNS="120")
    help_text = subprocess.run([sys.executable, "-m", "kg.cli", "--help"], capture_output=True, text=True, env=env)
    assert help_text.returncode == 0
    shown = help_text.stdout.replace("usage: cli.py", "usage: kg").rstrip()
    assert shown in README, "README's `kg --help` block is stale: paste the current output"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_a_readme_entry(command, capsys):
    from kg.cli import main

    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert len(capsys.readouterr().out) > 100
    assert f"`kg {command}" in README


def test_makefile_targets_document_themselves():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in ["help", "install", "build", "test", "lint", "clean"]:
        assert any(line.startswith(f"{target}:") and "## " in line for line in makefile.splitlines()), target
