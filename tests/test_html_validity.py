"""Every page type in every language is valid HTML by the Nu HTML Checker (vnu.jar, offline)."""

import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import make_user
from tests.pages import MAP_TILE_URL, form_error_urls, in_language, page_type_urls, steering_urls
from tests.tools import VNU, require_tools

pytestmark = pytest.mark.django_db


def test_every_page_type_is_valid_html(client, demo, tmp_path, settings):
    require_tools(VNU, commands=["java"])
    settings.MAP_TILE_URL = MAP_TILE_URL
    files = []
    for code, _ in settings.LANGUAGES:
        for name, url in in_language(page_type_urls(), code).items():
            response = client.get(url)
            assert response.status_code in (200, 400, 404), url
            path = tmp_path / f"{code}-{name}.html"
            path.write_bytes(response.content)
            files.append(str(path))
    call_command("find_parallel_offers", verbosity=0)  # so the pairs page shows pairs
    client.force_login(make_user("koordinatorin", is_staff=True, groups=["Koordination"]))
    for name, url in steering_urls().items():
        response = client.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    client.logout()
    for name, url in form_error_urls().items():
        response = client.post(url, {})
        assert response.status_code in (200, 400), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--also-check-css", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )

    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []
