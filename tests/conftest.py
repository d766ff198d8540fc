import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editors"])


@pytest.fixture
def verifier(db):
    return UserFactory(username="verifier", groups=["Verifiers"])


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def verifier_client(verifier):
    return _client_for(verifier)


@pytest.fixture
def admin_client(superuser):
    return _client_for(superuser)
