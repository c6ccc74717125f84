"""Dependencies run one way: offers ← networks ← feature apps ← demo (README, "Project layout")."""

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
APPS = [
    "offers",
    "networks",
    "directory",
    "contributions",
    "steering",
    "opendata",
    "wegweiser",
    "demo",
]
# What each app may import of the project's apps (besides itself).
ALLOWED = {
    "offers": set(),
    "networks": {"offers"},
    "directory": {"offers", "networks"},
    "contributions": {"offers", "networks"},
    "steering": {"offers", "networks"},
    "opendata": {"offers", "networks"},
    # The printed guide is a selection of the public list: the list's filters and versions.
    "wegweiser": {"offers", "networks", "directory"},
    "demo": {
        "offers",
        "networks",
        "directory",
        "contributions",
        "steering",
        "opendata",
        "wegweiser",
    },
}


def imported_apps(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    # Dotted paths in strings count too (settings-like references, signal senders).
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            head = node.value.split(".")[0]
            if head in APPS and "." in node.value and " " not in node.value:
                names.add(head)
    return names & set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_what_lies_below_it(app):
    offending = {}
    for path in sorted((PROJECT / app).rglob("*.py")):
        wrong = imported_apps(path) - ALLOWED[app] - {app}
        if wrong:
            offending[str(path.relative_to(PROJECT))] = sorted(wrong)
    assert offending == {}


def test_the_layout_check_sees_a_wrong_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from directory.cache import cached\n")

    assert imported_apps(module) == {"directory"}
