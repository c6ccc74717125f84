import pytest
from django.test import Client, TestCase

from tests.factories import make_user


class CommittingClient(Client):
    """A test client whose every request ends as in production: committed.

    The test itself runs in a transaction that is rolled back, so
    ``transaction.on_commit`` callbacks (emails, cache invalidation) would
    never run; here they run at the end of each request, as after a real
    commit. Callbacks of a block the view rolled back are dropped, as in production.
    """

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …`` ends the block as a commit would: its on_commit callbacks run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def coordinator(db):
    """A member of the city's coordination office, with the group's permissions."""
    return make_user("koordinatorin", is_staff=True, groups=["Koordination"])


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def is_postgresql(db):
    from django.db import connection

    return connection.vendor == "postgresql"


def log_in(client, username, password, url="/admin/login/"):
    """Log in through the login form, as people do (django-axes watches every attempt)."""
    response = client.post(url, {"username": username, "password": password})
    return response.status_code == 302
