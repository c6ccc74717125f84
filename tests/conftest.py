import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client, TestCase
from django.utils import translation

from offers.facet_index import forget_facet_states
from tests.factories import make_provider, make_user


def pytest_terminal_summary(terminalreporter):
    """What tests measured (``record_property("measured", text)``), shown after the run."""
    lines = [
        value
        for report in terminalreporter.stats.get("passed", [])
        for name, value in report.user_properties
        if name == "measured"
    ]
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.write_line(line)


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


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_at_the_end(django_db_setup, django_db_blocker):
    """End the sessions a live server's request threads still hold when the run ends.

    A browser may keep its connection to the live server open after its last
    page; the thread serving it keeps its database connection until then, and
    PostgreSQL refuses to drop a test database that is still in use ("is being
    accessed by other users"). Only the sessions of our own role: an autovacuum
    worker in the database belongs to the superuser, and asking to end it failed
    the run now and then ("must be a superuser to terminate superuser process").
    """
    yield
    with django_db_blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND usename = current_user AND backend_type = 'client backend'"
                )


@pytest.fixture(autouse=True)
def fresh_facet_index():
    """Each test reads the facet index anew.

    A process's bitmaps follow committed changes; a test's changes are rolled
    back at its end, which no production database does under a running site.
    """
    forget_facet_states()
    yield
    forget_facet_states()


@pytest.fixture(autouse=True)
def german_to_begin_with():
    """Each test starts in the site's language.

    A request activates its language in the thread and leaves it there (each
    request of a running site activates its own); a test after one to /uk/
    would otherwise read Ukrainian from code that runs outside a request.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _demo_data_for_the_module(django_db_setup, django_db_blocker):
    """The demo data set, loaded once per test module in a transaction rolled back at its end.

    Each test runs inside it in a savepoint of its own (pytest-django's ``db``),
    so what one test changes is gone for the next, and the demo rows are gone
    for the next module. Loading costs seconds; a module of read-only tests
    pays it once.
    """
    with django_db_blocker.unblock():
        atomics = {alias: transaction.atomic(using=alias) for alias in connections}
        for atomic in atomics.values():
            atomic.__enter__()
        try:
            call_command("load_demo_data", verbosity=0)
            cache.clear()  # counts cached before the load are not the demo's
            yield
        finally:
            for alias, atomic in atomics.items():
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def demo(_demo_data_for_the_module, db):
    """The demo data set (see ``_demo_data_for_the_module``); a test may change it freely."""


@pytest.fixture
def coordinator(db):
    """A member of the city's coordination office, with the group's permissions."""
    return make_user("koordinatorin", is_staff=True, groups=["Koordination"])


@pytest.fixture
def coordinator_with_email(coordinator):
    """A coordinator who receives the coordination office's emails."""
    coordinator.email = "koordination@example.org"
    coordinator.save()
    return coordinator


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


@pytest.fixture
def partner(db):
    """A user with a partner account for the provider "Familienzentrum Sonnenblume"."""
    from offers.models import PartnerAccount

    provider = make_provider(name="Familienzentrum Sonnenblume", slug="sonnenblume")
    user = make_user("sonnenblume")
    PartnerAccount.objects.create(user=user, provider=provider)
    return user
