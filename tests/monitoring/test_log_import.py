"""Debug-log import: corpus counts, the pairing rules (rereads, reconnects, restarts, open
checkouts across logs), idempotency and the import_logs command."""

from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from monitoring.models import Event, LogFile, LogImport, Session
from monitoring.services.log_import import StoredFile, create_import, digest_file, run_import
from tests.monitoring.factories import LicenseServerFactory

pytestmark = pytest.mark.django_db

HEADER = (
    " 8:00:00 (lmgrd) FlexNet Licensing (v11.16.2.0 build 1 x64_lsb) started on lic1 (linux) "
    "(3/4/2024)\n"
    " 8:00:01 (lmgrd) Started MLM (pid 100)\n"
)


def import_log(server, path: Path, timezone_name: str = "") -> LogImport:
    size, sha256 = digest_file(path)
    batch = create_import(
        server=server,
        files=[StoredFile(str(path), path.name, size, sha256)],
        timezone_name=timezone_name,
    )
    return run_import(batch.pk)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def local(server, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(server.effective_timezone))


def spans(server) -> list[tuple]:
    zone = ZoneInfo(server.effective_timezone)
    return [
        (s.user.username, s.started_at.astimezone(zone).strftime("%H:%M:%S"),
         s.ended_at.astimezone(zone).strftime("%H:%M:%S"), s.closed_by_restart)
        for s in Session.objects.filter(server=server).order_by("started_at", "id")
    ]  # fmt: skip


# sessions, events by type, malformed — checked against grep counts of OUT/IN lines minus
# the rules (checkouts open at the end of the file, reconnects, orphan INs).
CORPUS = {
    "ImSukh__FlexLM-Log-Parser__debug.log.txt": (168, {"denied": 2}, 0),
    "joseantoniovilar__Stats_Logs_FlexLM__autodesk.log.txt": (5163, {"unsupported": 2}, 0),
    "joseantoniovilar__Stats_Logs_FlexLM__maple.log.txt": (258, {}, 0),
    "joseantoniovilar__Stats_Logs_FlexLM__matlab.log.txt": (9998, {"unsupported": 9}, 0),
    "justbennet__flexlm_reporter__ansys.2017-01-08_17-17-45.log.txt": (590, {}, 0),
    "justbennet__flexlm_reporter__ansys.2017-06-08_09-49-41.log.txt": (2443, {}, 0),
    "lutzpeschlow__parse_lmgrd_log__lmgrd_anonym.log.txt": (19, {}, 0),
    "radixy0__flexlm_analysis_modified__splm_ugslmd.log.txt": (1, {}, 2),
    "sergioedo__flexlm-license-elk__sample.log.txt": (1906, {"timeout": 248}, 0),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_corpus_log_imports_with_its_counts(corpus_dir, name):
    server = LicenseServerFactory(timezone="Europe/Madrid")
    batch = import_log(server, corpus_dir / "lmgrd-log" / name)
    sessions, events, malformed = CORPUS[name]
    assert batch.state == "done"
    assert Session.objects.filter(server=server, source="log").count() == sessions
    by_type = dict(Event.objects.filter(server=server).values_list("type").annotate(n=Count("id")))
    assert by_type == events
    assert batch.malformed_count == malformed
    assert (batch.sessions_created, batch.events_created) == (sessions, sum(events.values()))
    assert batch.bytes_done == batch.bytes_total == (corpus_dir / "lmgrd-log" / name).stat().st_size
    assert batch.percent == 100.0


def test_malformed_lines_are_counted_with_examples(corpus_dir):
    batch = import_log(
        LicenseServerFactory(),
        corpus_dir / "lmgrd-log" / "radixy0__flexlm_analysis_modified__splm_ugslmd.log.txt",
    )
    assert [e["line"] for e in batch.malformed_examples] == [96, 97]
    assert batch.malformed_examples[0]["text"].startswith("12:49:3a9 (ugslmd) OUT:")


def test_importing_the_same_file_twice_creates_nothing(corpus_dir):
    server = LicenseServerFactory()
    path = corpus_dir / "lmgrd-log" / "joseantoniovilar__Stats_Logs_FlexLM__maple.log.txt"
    import_log(server, path)
    before = Session.objects.count(), Event.objects.count()
    second = import_log(server, path)
    assert (Session.objects.count(), Event.objects.count()) == before
    assert second.sessions_created == second.events_created == 0
    assert second.files.get().skipped_duplicate


@pytest.mark.parametrize(
    "name",
    [
        "justbennet__flexlm_reporter__ansys.2017-01-08_17-17-45.log.txt",
        "joseantoniovilar__Stats_Logs_FlexLM__matlab.log.txt",
    ],
)
def test_an_overlapping_rotated_log_creates_no_duplicates(corpus_dir, tmp_path, name):
    source = corpus_dir / "lmgrd-log" / name
    lines = source.read_bytes().splitlines(keepends=True)
    first = tmp_path / "first.log"
    second = tmp_path / "second.log"
    first.write_bytes(b"".join(lines[: len(lines) * 2 // 3]))
    second.write_bytes(b"".join(lines[len(lines) // 3 :]))
    whole = LicenseServerFactory()
    import_log(whole, source)
    rotated = LicenseServerFactory()
    import_log(rotated, first)
    import_log(rotated, second)
    sessions = Session.objects.filter(server=rotated)
    assert sessions.count() == sessions.values("fingerprint").distinct().count()
    assert sessions.count() == Session.objects.filter(server=whole).count()
    assert (
        Event.objects.filter(server=rotated).count() == Event.objects.filter(server=whole).count()
    )


def test_a_reread_does_not_open_checkouts_twice(tmp_path):
    server = LicenseServerFactory(timezone="UTC")
    import_log(server, write(tmp_path, "reread.log", HEADER + (
        ' 9:00:00 (MLM) OUT: "MATLAB" alice@pc1  \n'
        " 9:30:00 (lmgrd) Rereading license file... Requested from admin@pc9\n"
        " 9:30:00 (MLM) Rereading license file...\n"
        ' 9:30:01 (MLM) OUT: "MATLAB" alice@pc1  \n'
        ' 9:40:00 (MLM) IN: "MATLAB" alice@pc1  \n'
    )))  # fmt: skip
    assert spans(server) == [("alice", "09:00:00", "09:40:00", False)]
    assert LogFile.objects.get().checkpoint["tracker"]["stats"]["reread_duplicates"] == 1


def test_an_in_followed_by_an_out_within_two_seconds_is_one_session(tmp_path):
    server = LicenseServerFactory(timezone="UTC")
    import_log(server, write(tmp_path, "reconnect.log", HEADER + (
        '10:00:00 (MLM) OUT: "MATLAB" bob@pc2  \n'
        '10:30:00 (MLM) IN: "MATLAB" bob@pc2  \n'
        '10:30:02 (MLM) OUT: "MATLAB" bob@pc2  \n'
        '11:00:00 (MLM) IN: "MATLAB" bob@pc2  \n'
        '11:00:03 (MLM) OUT: "MATLAB" bob@pc2  \n'
        '11:10:00 (MLM) IN: "MATLAB" bob@pc2  \n'
    )))  # fmt: skip
    assert spans(server) == [
        ("bob", "10:00:00", "11:00:00", False),
        ("bob", "11:00:03", "11:10:00", False),
    ]


def test_a_daemon_restart_closes_its_open_checkouts(tmp_path):
    server = LicenseServerFactory(timezone="UTC")
    import_log(server, write(tmp_path, "restart.log", HEADER + (
        '13:00:00 (MLM) OUT: "MATLAB" carol@pc3  \n'
        '13:00:00 (MLM) OUT: "MATLAB" carol@pc3  \n'
        "13:30:00 (lmgrd) Started MLM (pid 200)\n"
        '13:40:00 (MLM) IN: "MATLAB" carol@pc3  \n'
    )))  # fmt: skip
    assert spans(server) == [
        ("carol", "13:00:00", "13:30:00", True),
        ("carol", "13:00:00", "13:30:00", True),
    ]


def test_a_checkout_open_at_the_end_is_closed_by_the_next_log(tmp_path):
    server = LicenseServerFactory(timezone="UTC")
    import_log(
        server, write(tmp_path, "a.log", HEADER + '14:00:00 (MLM) OUT: "MATLAB" dave@pc4  \n')
    )
    assert spans(server) == []
    import_log(server, write(tmp_path, "b.log", (
        "14:30:00 (MLM) TIMESTAMP 3/4/2024\n"
        '15:00:00 (MLM) IN: "MATLAB" dave@pc4  \n'
    )))  # fmt: skip
    assert spans(server) == [("dave", "14:00:00", "15:00:00", False)]


def test_times_are_the_chosen_time_zone(tmp_path):
    server = LicenseServerFactory(timezone="UTC")
    path = write(
        tmp_path, "tz.log", HEADER + '9:00:00 (MLM) OUT: "F" e@h  \n9:01:00 (MLM) IN: "F" e@h  \n'
    )
    import_log(server, path, timezone_name="America/New_York")
    session = Session.objects.get()
    assert session.started_at == datetime(2024, 3, 4, 9, tzinfo=ZoneInfo("America/New_York"))
    assert session.feature.vendor == "MLM" and session.feature.server == server


def test_the_command_prints_a_summary_and_a_progress_bar(corpus_dir, capsys):
    LicenseServerFactory(name="maple")
    out = StringIO()
    path = corpus_dir / "lmgrd-log" / "joseantoniovilar__Stats_Logs_FlexLM__maple.log.txt"
    call_command("import_logs", str(path), "--server", "maple", stdout=out)
    summary = out.getvalue()
    assert "Sessions:   258" in summary and "Lines:      6514" in summary and "MB/s" in summary
    assert "100.0%" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("make", "server", "message"),
    [
        (lambda p: p / "missing.log", "lic", "No such file"),
        (lambda p: write(p, "x.log", "1:00:00 (MLM) x\n"), "nowhere", "Unknown license server"),
        (lambda p: (p / "b.log").write_bytes(b"\x7fELF\x00\x00") and p / "b.log", "lic", "binary"),
    ],
)
def test_the_command_fails_clearly(tmp_path, make, server, message):
    LicenseServerFactory(name="lic")
    with pytest.raises(CommandError, match=message):
        call_command("import_logs", str(make(tmp_path)), "--server", server, "--no-progress")
    assert not LogImport.objects.exists()
