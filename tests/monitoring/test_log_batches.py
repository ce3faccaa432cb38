"""The log import's batch committer: in order, in a writer thread outside a transaction, and
a failed commit stops the import."""

import threading

import pytest

from monitoring.services.log_batches import Batch, BatchCommitter


def batch(n: int) -> Batch:
    return Batch([], [], n, False, {"offset": n}, n, 0, [])


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_batches_commit_in_order_in_another_thread():
    seen = []

    def commit(b):
        seen.append((b.end_offset, threading.current_thread().name))

    with BatchCommitter(commit) as committer:
        for n in range(5):
            committer.submit(batch(n))
    assert [offset for offset, _ in seen] == [0, 1, 2, 3, 4]
    assert {name for _, name in seen} == {"limon-log-writer"}


@pytest.mark.django_db(transaction=True)
def test_a_failed_commit_is_raised_to_the_parser_and_later_batches_are_not_written():
    written = []

    def commit(b):
        if b.end_offset == 1:
            raise RuntimeError("disk full")
        written.append(b.end_offset)

    with pytest.raises(RuntimeError, match="disk full"), BatchCommitter(commit) as committer:
        for n in range(4):
            committer.submit(batch(n))
    assert written == [0]


@pytest.mark.django_db
def test_inside_a_transaction_batches_commit_in_the_calling_thread():
    names = []
    with BatchCommitter(lambda b: names.append(threading.current_thread().name)) as committer:
        committer.submit(batch(0))
    assert names == [threading.current_thread().name]
