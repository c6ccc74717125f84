"""The Open Referral HSDS 3 files (``../shared/hsds``): schemas to validate our answers against.

They are read from where CI keeps them (``HSDS_DIR``, default ``../shared/hsds``
beside the project), never copied into the project. Where they are missing,
the tests say so plainly: skipped on a developer machine, failed under CI=true.
"""

import json
import os
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.tools import PROJECT

HSDS = Path(os.environ.get("HSDS_DIR", PROJECT.parent / "shared" / "hsds"))
SCHEMAS = HSDS / "schema"
# Where the standard's files refer to each other (and the OpenAPI file to the schemas).
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def require_hsds():
    if (SCHEMAS / "openapi.json").exists():
        return
    message = (
        f"the HSDS 3 files are missing at {HSDS} (set HSDS_DIR to a copy of "
        "openreferral/specification's schema/ and examples/)"
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _load(relative):
    return json.loads((SCHEMAS / relative).read_text())


@cache
def _registry():
    resources = []
    for path in [*SCHEMAS.glob("*.json"), *SCHEMAS.glob("compiled/*.json")]:
        relative = path.relative_to(SCHEMAS).as_posix()
        resources.append(
            (
                BASE + relative,
                Resource.from_contents(_load(relative), default_specification=DRAFT202012),
            )
        )
    return Registry().with_resources(resources)


def validator(relative):
    """A Draft 2020-12 validator for ``schema/<relative>`` (formats checked)."""
    require_hsds()
    schema = {**_load(relative), "$id": BASE + relative}
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(relative, instance):
    """Every violation of the schema, as readable lines (empty: valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator(relative).iter_errors(instance)
    ]


def _inline(node, base):
    """``node`` with every ``$ref`` to the standard's files replaced by the file itself."""
    if isinstance(node, list):
        return [_inline(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        target = ref if ref.startswith("http") else base + ref
        relative = target.removeprefix(BASE)
        rest = {key: value for key, value in node.items() if key != "$ref"}
        folder = BASE + relative.rsplit("/", 1)[0] + "/" if "/" in relative else BASE
        inlined = _inline(_load(relative), folder)
        return {**inlined, **_inline(rest, base)}
    return {key: _inline(value, base) for key, value in node.items()}


def openapi():
    """The standard's OpenAPI description with its schemas inlined (no download needed)."""
    require_hsds()
    return _inline(_load("openapi.json"), BASE)
