"""lmgrd / vendor-daemon debug logs: line shapes, dates, malformed lines, resuming."""

import io
import json
from datetime import datetime

from monitoring.parsers.lmgrd_log import LogParser, LogParserState, parse_log

LOG = """\
11:58:22 (lmgrd) -----------------------------------------------
11:58:22 (lmgrd)   Please Note:
11:58:22 (lmgrd) Server's System Date and Time: Sun Mar 21 2021 11:58:22 W. Europe Standard Time
11:58:22 (lmgrd) FlexNet Licensing (v11.16.4.0 build 1 x64_n6) started on srv (IBM PC) (3/21/2021)
11:58:22 (lmgrd) Started ugslmd (pid 22096)
11:58:23 (ugslmd) EXPIRED: acpreppost
12:00:01 (ugslmd) OUT: "nx_base" alice@pc-1  \n\
12:00:02 (MSC) OUT: "MSCONE" user_01@machine_01 [MSCONE:NASTRAN] (13 licenses)
12:00:03 (ugslmd) OUT: "nx_base" Mª Cruz@mcruz  \n\
12:00:04 (ugslmd) OUT: "nx_base" luis.ibanez$@CCN  \n\
12:00:05 (ugslmd) DENIED: "nx_base" bob@pc-2  (Licensed number of users already reached. (-4,342))
12:00:06 (ugslmd) UNSUPPORTED: "ML" (00B0 EF6E AFC6 B280 ) UPM@upm00243  (No such feature. (-5,346))
12:00:07 (ugslmd) QUEUED: "nx_base" bob@pc-2  \n\
12:00:08 (ugslmd) DEQUEUED: "nx_base" bob@pc-2  \n\
12:00:09 (ugslmd) SERVER-OUT: Failed to send the message(71) <END>
23:59:59 (ugslmd) IN: "nx_base" alice@pc-1  (INACTIVE)
 0:00:01 (MSC) IN: "MSCONE" user_01@machine_01 [MSCONE:NASTRAN] (13 licenses) (SHUTDOWN)
 ansyslmd  ansoftd  \n\
08:42:25 (adskflex_pluggin) INFO: Loading lib
12:49:3a9 (ugslmd) OUT: "nx_base" carol@pc-3  \n\
12:50:00 (ugslmd) OUT: nx_base without quotes
17:17:45 (lmgrd) TIMESTAMP 3/22/2021
17:20:00 (lmgrd) Rereading license file... Requested from upm@flexlm02
17:21:00 (lmgrd) Started ugslmd (pid 1)
17:22:00 (lmgrd) Shutting down ugslmd pid=1 because of signal 15
17:22:01 (lmgrd) SHUTDOWN request from upm at node flexlm01
17:22:02 (lmgrd) EXITING DUE TO SIGNAL 15
"""


def records(text: str):
    parser = LogParser()
    found = []
    for raw in io.BytesIO(text.encode()).readlines():
        found += parser.feed(raw)
    return found + parser.finish(), parser


def by_kind(found, kind):
    return [r for r in found if r.kind == kind]


def test_startup_banner_waits_for_the_first_date():
    found, _ = records(LOG)
    start = found[0]
    assert (start.kind, start.daemon, start.at) == (
        "DAEMON_START",
        "lmgrd",
        datetime(2021, 3, 21, 11, 58, 22),
    )


def test_checkout_lines_split_user_and_host_on_the_last_at():
    outs = by_kind(records(LOG)[0], "OUT")
    assert [(r.feature, r.user, r.host) for r in outs] == [
        ("nx_base", "alice", "pc-1"),
        ("MSCONE", "user_01", "machine_01"),
        ("nx_base", "Mª Cruz", "mcruz"),
        ("nx_base", "luis.ibanez$", "CCN"),
    ]
    assert (outs[1].detail, outs[1].licenses, outs[1].daemon) == ("MSCONE:NASTRAN", 13, "MSC")
    assert outs[0].licenses == 1


def test_denials_unsupported_and_queues_keep_their_reason():
    found, _ = records(LOG)
    (denied,) = by_kind(found, "DENIED")
    assert denied.reason == "Licensed number of users already reached. (-4,342)"
    (unsupported,) = by_kind(found, "UNSUPPORTED")
    assert (unsupported.detail, unsupported.user, unsupported.host) == (
        "00B0 EF6E AFC6 B280 ",
        "UPM",
        "upm00243",
    )
    assert unsupported.reason == "No such feature. (-5,346)"
    assert len(by_kind(found, "QUEUED")) == len(by_kind(found, "DEQUEUED")) == 1
    (expired,) = by_kind(found, "EXPIRED")
    assert (expired.feature, expired.user) == ("acpreppost", None)


def test_checkins_carry_inactive_and_shutdown_flags_across_midnight():
    inactive, shutdown = by_kind(records(LOG)[0], "IN")
    assert inactive.flags == ("inactive",)
    assert inactive.at == datetime(2021, 3, 21, 23, 59, 59)
    assert shutdown.flags == ("shutdown",)
    assert (shutdown.licenses, shutdown.at) == (13, datetime(2021, 3, 22, 0, 0, 1))


def test_server_out_is_not_a_checkout_and_untimed_lines_are_skipped():
    found, parser = records(LOG)
    assert not any("SERVER-OUT" in r.raw for r in found)
    assert parser.state.untimed == 1


def test_corrupted_times_and_unreadable_events_are_malformed_not_fatal():
    _, parser = records(LOG)
    state = parser.state
    assert state.malformed == 2
    assert [text for _, text in parser.malformed_examples] == [
        '12:49:3a9 (ugslmd) OUT: "nx_base" carol@pc-3  ',
        "12:50:00 (ugslmd) OUT: nx_base without quotes",
    ]


def test_daemon_life_cycle():
    found, _ = records(LOG)
    life = [(r.kind, r.daemon) for r in found if r.kind.startswith("DAEMON") or r.kind == "REREAD"]
    assert life == [
        ("DAEMON_START", "lmgrd"),
        ("DAEMON_START", "ugslmd"),
        ("REREAD", "lmgrd"),
        ("DAEMON_RESTART", "ugslmd"),
        ("DAEMON_STOP", "ugslmd"),
        ("DAEMON_STOP", "lmgrd"),
        ("DAEMON_STOP", "lmgrd"),
    ]
    assert by_kind(found, "DAEMON_STOP")[1].flags == ("request",)


def test_timestamp_agreeing_with_the_rollover_needs_no_resync():
    found, parser = records(LOG)
    (stamp,) = by_kind(found, "TIMESTAMP")
    assert (stamp.at, stamp.flags) == (datetime(2021, 3, 22, 17, 17, 45), ())
    assert (parser.state.rollovers, parser.state.resyncs) == (1, 0)


def test_an_anchor_that_disagrees_wins_and_is_flagged():
    text = " 9:00:00 (lmgrd) TIMESTAMP 1/8/2017\n10:00:00 (lmgrd) TIMESTAMP 1/10/2017\n"
    found, parser = records(text)
    assert [r.at.date().day for r in found] == [8, 10]
    assert found[1].flags == ("resync",)
    assert parser.state.resyncs == 1


def test_vendor_timestamp_after_midnight_carries_the_new_date():
    text = (
        "23:17:45 (lmgrd) TIMESTAMP 1/10/2017\n"
        " 0:02:55 (ansyslmd) TIMESTAMP 1/11/2017\n"
        ' 0:03:00 (ansyslmd) OUT: "acfd" u@h  \n'
    )
    found, parser = records(text)
    assert found[2].at == datetime(2017, 1, 11, 0, 3)
    assert parser.state.resyncs == 0


def test_small_step_back_is_not_a_new_day():
    text = ' 2:59:00 (lmgrd) TIMESTAMP 10/29/2017\n 2:01:00 (v) OUT: "f" u@h  \n'
    found, parser = records(text)
    assert found[1].at == datetime(2017, 10, 29, 2, 1)
    assert parser.state.rollovers == 0


def test_records_before_the_first_anchor_are_dated_back_over_midnight():
    text = (
        '23:00:00 (v) OUT: "f" u@h  \n'
        ' 1:00:00 (v) IN: "f" u@h  \n'
        " 5:00:00 (lmgrd) TIMESTAMP 3/2/2020\n"
    )
    found, _ = records(text)
    assert [r.at for r in found] == [
        datetime(2020, 3, 1, 23, 0),
        datetime(2020, 3, 2, 1, 0),
        datetime(2020, 3, 2, 5, 0),
    ]


def test_a_log_without_any_date_releases_undated_records_at_the_end():
    found, _ = records('10:00:00 (v) OUT: "f" u@h  \n')
    assert [(r.kind, r.at) for r in found] == [("OUT", None)]


def test_bom_crlf_and_latin1_bytes():
    data = (
        "\ufeff10:25:28 (lmgrd) TIMESTAMP 6/9/2022\r\n".encode()
        + b'10:25:29 (MLM) OUT: "MATLAB" Jos\xe9@pc  \r\n'
    )
    found = [r for r, _ in parse_log(io.BytesIO(data))]
    assert found[0].at == datetime(2022, 6, 9, 10, 25, 28)
    assert (found[1].user, found[1].raw) == ("José", '10:25:29 (MLM) OUT: "MATLAB" José@pc  ')


def test_records_know_their_line_and_byte_offset():
    data = b' 9:00:00 (lmgrd) TIMESTAMP 1/8/2017\n 9:00:01 (v) OUT: "f" u@h  \n'
    pairs = list(parse_log(io.BytesIO(data)))
    (_, first_end), (second, second_end) = pairs
    assert (second.line_no, second.offset, first_end, second_end) == (2, 36, 36, len(data))


def test_state_survives_json():
    _, parser = records(LOG)
    state = parser.state
    assert LogParserState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
