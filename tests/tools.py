"""External test tools (Chromium, axe-core, the Nu HTML Checker): say plainly when one is missing.

On a developer machine a missing tool skips its tests with the command that
installs it; in CI (CI=true) the same message fails them, so CI can never
pass by skipping them silently.
"""

import os
import shutil
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT / "node_modules/axe-core/axe.min.js"
VNU = PROJECT / "node_modules/vnu-jar/build/dist/vnu.jar"
INSTALL_HINT = "run `make test-tools` (as root it installs Chromium, Java, axe-core and vnu-jar)"


def missing_tools(*paths, commands=()):
    missing = [str(path) for path in paths if not Path(path).exists()]
    missing += [command for command in commands if shutil.which(command) is None]
    return missing


def require_tools(*paths, commands=()):
    """Skip (developer machine) or fail (CI) unless every file and command is there."""
    missing = missing_tools(*paths, commands=commands)
    if not missing:
        return
    message = f"missing test tool(s) {', '.join(missing)}: {INSTALL_HINT}"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
