"""Two editors restoring different lines of one source at the same moment, each on its own
PostgreSQL connection: the source's row lock means neither restoration is lost."""

import threading
import time

import pytest
from django.db import connection, transaction

from newsroom.desk.importing.restoring import restore_line
from newsroom.desk.models import Source
from tests.newsroom.test_concurrency import Worker
from tests.newsroom.test_reimport_recheck import TEXT

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def source(run_import, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    path = tmp_path / "kremlin.txt"
    text = TEXT + "\n\nShare this article on Facebook\n\nSubscribe to our newsletter"
    path.write_text(text, encoding="utf-8")
    assert run_import(path)[0] == 0
    return Source.objects.get()


def test_the_second_restoration_waits_and_keeps_the_first(source, editor):
    first, second = (entry["line"] for entry in source.set_aside[:2])
    restored, release = threading.Event(), threading.Event()

    def anna_restores():
        with transaction.atomic():
            restore_line(Source.objects.get(pk=source.pk), first, user=editor)
            restored.set()
            release.wait(10)

    def boris_restores():
        stale = Source.objects.get(pk=source.pk)
        restored.wait(10)
        restore_line(stale, second, user=editor)

    anna, boris = Worker(anna_restores), Worker(boris_restores)
    anna.start()
    boris.start()
    restored.wait(10)
    time.sleep(0.5)
    assert boris.is_alive(), "Boris should be waiting on the source's row lock"
    release.set()
    anna.join(10)
    boris.join(10)

    assert (anna.error, boris.error) == (None, None)
    source.refresh_from_db()
    assert {entry["line"] for entry in source.restored_lines} == {first, second}
    assert not {first, second} & {entry["line"] for entry in source.set_aside}
