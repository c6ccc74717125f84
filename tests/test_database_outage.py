"""With PostgreSQL unreachable the site answers fast with a German 503 page and recovers.

A real gunicorn serves the test database through a TCP proxy that the test
switches between "up", "refusing" (connections are dropped at once) and
"black hole" (connections hang, as behind a dead network).
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


class TcpProxy:
    def __init__(self, target):
        self.target = target
        self.mode = "up"
        self.connections = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.mode == "refusing":
                client.close()
            elif self.mode == "black hole":
                self.connections.append(client)  # held open, never answered
            else:
                upstream = socket.create_connection(self.target)
                self.connections += [client, upstream]
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.close()
                except OSError:
                    pass

    def switch(self, mode):
        """Change mode and cut every open connection, as a failing network would."""
        self.mode = mode
        for sock in self.connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass
        self.connections = []

    def close(self):
        self.switch("refusing")
        self.listener.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    """(status, body, seconds) for a GET, whatever the status."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return status, body, time.monotonic() - started


@pytest.fixture
def site_behind_proxy():
    if connection.vendor != "postgresql":
        pytest.skip("a database server that can vanish: PostgreSQL only")
    settings = connection.settings_dict
    proxy = TcpProxy((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    port = free_port()
    environment = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "outage-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "DATABASE_URL": f"postgres://{settings['USER']}:{settings['PASSWORD']}@127.0.0.1:{proxy.port}/{settings['NAME']}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "oberhausen_praevention.wsgi",
        ],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            fetch(base + "/impressum/")
            break
        except OSError:
            time.sleep(0.1)
    yield base, proxy
    server.terminate()
    server.wait(timeout=10)
    proxy.close()


def test_outage_gives_a_fast_german_503_and_the_site_recovers(site_behind_proxy):
    base, proxy = site_behind_proxy
    status, _, _ = fetch(base + "/angebote/")
    assert status == 200
    assert fetch(base + "/healthz")[0] == 200

    for mode in ("refusing", "black hole"):
        proxy.switch(mode)
        status, body, seconds = fetch(base + "/angebote/")
        assert status == 503, mode
        assert "Vorübergehend nicht erreichbar" in body and '<html lang="de" dir="ltr">' in body
        assert seconds < 3, (mode, seconds)
        assert fetch(base + "/healthz")[0] == 503
        # Pages that need no database keep working.
        status, body, _ = fetch(base + "/impressum/")
        assert status == 200 and "Impressum" in body

    proxy.switch("up")
    status, _, _ = fetch(base + "/angebote/")
    assert status == 200
    assert fetch(base + "/healthz")[0] == 200


def test_healthz_reports_a_healthy_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
