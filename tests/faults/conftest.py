"""Fault tests run the site in other processes against servers of their own; they need no
test database, so the suite's database fixtures do nothing here."""

import pytest


@pytest.fixture
def empty_cache():
    return None
