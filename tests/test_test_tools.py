"""A missing test tool is named with the command that installs it; CI never skips it silently."""

import pytest
from _pytest.outcomes import Failed, Skipped

from tests.tools import require_tools


def test_missing_tool_skips_with_the_install_command_on_a_developer_machine(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(Skipped, match=r"missing test tool\(s\) .*vnu\.jar: run `make test-tools`"):
        require_tools(tmp_path / "vnu.jar")


def test_missing_tool_fails_in_ci_with_the_same_message(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(
        Failed, match=r"missing test tool\(s\) no-such-command-here: run `make test-tools`"
    ):
        require_tools(commands=["no-such-command-here"])


def test_present_tools_pass(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    (tmp_path / "axe.min.js").write_text("")

    require_tools(tmp_path / "axe.min.js", commands=["python3"])
