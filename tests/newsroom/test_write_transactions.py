"""Each write request is one transaction and reads are not wrapped in one, on SQLite and on
PostgreSQL; a database still locked after the busy timeout answers "try again" (503), never
a 500."""

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory

from newsroom.desk.models import Outlet
from newsroom.write_transactions import WriteTransactionMiddleware

pytestmark = pytest.mark.django_db


def through_middleware(method, view):
    request = getattr(RequestFactory(), method)("/admin/anything/")
    middleware = WriteTransactionMiddleware(view)

    def handled(request):
        # As Django's handler does: process_exception for a view that raised.
        try:
            return view(request)
        except Exception as error:  # noqa: BLE001 - the middleware decides
            answer = middleware.process_exception(request, error)
            if answer is None:
                return HttpResponse(status=500)
            return answer

    middleware.get_response = handled
    return middleware(request)


def test_no_database_wraps_a_whole_request():
    assert connection.settings_dict["ATOMIC_REQUESTS"] is False


def test_sqlite_settings_take_the_write_lock_at_begin_and_leave_reads_alone():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own settings")
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5
    assert connection.settings_dict["ATOMIC_REQUESTS"] is False


def test_a_post_runs_in_one_transaction_and_a_get_in_none():
    depths = {}

    def view(request):
        depths[request.method] = len(connection.savepoint_ids)
        return HttpResponse("ok")

    through_middleware("get", view)
    through_middleware("post", view)
    assert depths["POST"] == depths["GET"] + 1


@pytest.mark.parametrize("failure", ["raises", "answers 500"])
def test_a_failed_write_request_leaves_nothing_saved(failure):
    def view(request):
        Outlet.objects.create(name="Half-saved outlet")
        if failure == "raises":
            raise ValueError("the save failed halfway")
        return HttpResponse(status=500)

    assert through_middleware("post", view).status_code == 500
    assert not Outlet.objects.filter(name="Half-saved outlet").exists()


def test_a_successful_write_request_is_kept():
    def view(request):
        Outlet.objects.create(name="Kept outlet")
        return HttpResponse(status=302)

    assert through_middleware("post", view).status_code == 302
    assert Outlet.objects.filter(name="Kept outlet").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_locked_database_answers_try_again_not_500(method):
    def view(request):
        Outlet.objects.create(name="Never saved")
        raise OperationalError("database is locked")

    response = through_middleware(method, view)
    assert response.status_code == 503
    assert response["Retry-After"]
    text = response.content.decode()
    assert "Nothing you sent was saved" in text
    assert "send it again" in text
    if method == "post":
        assert not Outlet.objects.filter(name="Never saved").exists()


def test_other_database_errors_are_not_disguised():
    def view(request):
        raise OperationalError("no such table: newsroom_nothing")

    assert through_middleware("post", view).status_code == 500
