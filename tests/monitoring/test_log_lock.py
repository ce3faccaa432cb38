"""Imports of one server never interleave: the second waits for the first."""

import threading
import time

import pytest
from django.db import connection, connections

from monitoring.models import ImportState, LogImport, Session
from monitoring.services.log_lock import server_import_lock
from tests.monitoring.factories import LicenseServerFactory
from tests.monitoring.test_log_import import HEADER, import_log, write

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: advisory locks between sessions")
def test_an_import_waits_while_another_import_of_the_server_holds_it(tmp_path):
    server = LicenseServerFactory(timezone="UTC")
    other = LicenseServerFactory(timezone="UTC")
    log = write(tmp_path, "a.log", HEADER + (
        '9:00:00 (MLM) OUT: "MATLAB" erin@pc5  \n'
        '9:30:00 (MLM) IN: "MATLAB" erin@pc5  \n'
    ))  # fmt: skip
    held, release = threading.Event(), threading.Event()

    def first_importer():
        try:
            with server_import_lock(server.pk):
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    def second_importer():
        try:
            import_log(server, log)
        finally:
            connections.close_all()

    holder = threading.Thread(target=first_importer)
    holder.start()
    assert held.wait(10)
    waiting = threading.Thread(target=second_importer)
    waiting.start()
    time.sleep(1.0)
    assert waiting.is_alive()
    assert not Session.objects.filter(server=server).exists()
    # another server's import is not held up
    import_log(other, log)
    assert Session.objects.filter(server=other).count() == 1
    release.set()
    holder.join(10)
    waiting.join(20)
    assert not waiting.is_alive()
    assert LogImport.objects.get(server=server).state == ImportState.DONE
    assert Session.objects.filter(server=server).count() == 1


@pytest.mark.django_db
def test_the_lock_is_released_when_the_import_fails(tmp_path):
    server = LicenseServerFactory(timezone="UTC")
    with pytest.raises(RuntimeError), server_import_lock(server.pk):
        raise RuntimeError("worker crashed")
    log = write(tmp_path, "b.log", HEADER + '9:00:00 (MLM) OUT: "MATLAB" erin@pc5  \n')
    assert import_log(server, log).state == ImportState.DONE
