"""Every command is documented in the README and has an example in its help."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from woo_anon.cli import app

COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_documented(command):
    if command == "version":
        return
    assert f"woo-anon {command}" in (ROOT / "README.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_exit_codes_documented():
    from woo_anon.errors import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} |" in readme, code
