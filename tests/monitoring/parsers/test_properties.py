"""Property tests: no input makes a parser raise; rendered status parses back to itself."""

import dataclasses
import io
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring.parsers import parse_lmstat, parse_lmstat_i, parse_rlmstat
from monitoring.parsers.lmgrd_log import LogParser
from monitoring.parsers.render import render_lmstat, render_rlmstat
from tests.monitoring.parsers import strategies as S

FRAGMENTS = [
    "Users of ", "f:  (Total of ", "1 license issued;  Total of ", "9 licenses in use)",
    "(Uncounted, node-locked)", "(Error: 2 licenses, unsupported", "Cannot get users of f: ",
    '"f" v1.0, vendor: v', ", expiry: 31-feb-2020", ", expiry: permanent(", "vendor_string: ",
    "floating license", " license server UP (MASTER) v11", ": UP v1", "Vendor daemon status (on ",
    "Feature usage info:", "License server status: 1@a,b@", "License file(s) on h: C:\\a:",
    "u h d (v1) (s/1 2), start Mon 2/30 25:99", ", start Sat 12/31 23:59", ", 3 licenses",
    ", PID: 1", " (linger: 5 / 9)", " queued for 2 licenses", "\t4 RESERVATIONs for GROUP g (s/1)",
    "Flexible License Manager status on Mon 13/45/2020 99:99", "Error getting status: x",
    "(-15,570:111 \"x\")", "(-97,121)", "Feature  Version  #licenses  Vendor  Expires",
    "rlm status on h (port 1)", "x ISV server status on h (port 2)", "x license pool status on h",
    "x license usage status on h (port 2)", "p v1: u@h 1/0 at 13/45 25:61  (handle: zz)",
    "count: 1, # reservations: 0, inuse: 5, exp: 1-jan-0", "Todays Statistics (99:99:99), init ",
    "time: Mon Feb 30 25:00:00 2021", 'Error connecting to "rlm" server', "\ufeff", "\r", "(", ")",
    '13:00:00 (v) OUT: "f" a@b@c  ', " 0:00:01 (lmgrd) TIMESTAMP 2/30/2020", "25:61:61 (x) IN: ",
    "(SHUTDOWN)", " [P:C]", " (7 licenses)", "(lmgrd) Started v (pid 1)", "EXITING DUE TO SIGNAL",
    "Start-Date: Mon Foo 40 2020 ", "started on h (IBM PC) (13/40/2020)", "UNSUPPORTED: \"f\" (",
]  # fmt: skip

lines = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=6).map(
            "".join
        ),
    ),
    max_size=40,
)


@given(lines)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_status_parsers_never_raise(text_lines):
    for parse in (parse_lmstat, parse_lmstat_i, parse_rlmstat):
        report = parse(text_lines)
        assert report.unparsed_count >= len(report.unparsed)


@given(lines, st.binary(max_size=200))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_log_parser_never_raises(text_lines, noise):
    parser = LogParser()
    for line in [*text_lines, noise]:
        for record in parser.feed(line):
            assert record.kind
    parser.finish()
    data = "\n".join(text_lines).encode("utf-8", "surrogatepass") + noise
    for _ in LogParser().iter_file(io.BytesIO(data)):
        pass


def comparable(report):
    """The report as plain data, without the raw text and diagnostics."""
    data = dataclasses.asdict(report)
    for key in ("unparsed", "unparsed_count"):
        data.pop(key)
    for feature in data["features"]:
        for item in feature["checkouts"] + feature["queued"]:
            item.pop("raw")
    return data


@given(S.lmstat_reports())
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_rendered_lmstat_parses_back_to_the_same_report(report):
    text = render_lmstat(report)
    parsed = parse_lmstat(text.splitlines())
    assert parsed.unparsed == []
    assert comparable(parsed) == comparable(report)


@given(S.rlmstat_reports())
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_rendered_rlmstat_parses_back_to_the_same_report(report):
    text = render_rlmstat(report)
    parsed = parse_rlmstat(text.splitlines())
    assert parsed.unparsed == []
    assert comparable(parsed) == comparable(report)


@given(
    st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2030, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.lists(st.integers(min_value=0, max_value=20 * 3600), min_size=1, max_size=60),
    st.data(),
)
def test_log_times_roll_over_midnight_back_to_the_true_datetimes(start, gaps, data):
    """Gaps under 20 h (lmgrd writes a TIMESTAMP every 6 h) are always dated right."""
    moments = [start]
    for gap in gaps:
        moments.append(moments[-1] + timedelta(seconds=gap))
    lines = [f"{start:%H:%M:%S} (lmgrd) TIMESTAMP {start.month}/{start.day}/{start.year}"]
    lines += [f'{m.hour:2d}:{m:%M:%S} (v) OUT: "f" u@h  ' for m in moments[1:]]
    cut = data.draw(st.integers(min_value=0, max_value=len(lines)))
    parser = LogParser()
    found = [r for line in lines[:cut] for r in parser.feed(line)]
    resumed = LogParser(type(parser.state).from_dict(parser.state.to_dict()))
    found += [r for line in lines[cut:] for r in resumed.feed(line)]
    assert [r.at for r in found] == moments
