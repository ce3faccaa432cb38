"""Every corpus debug log with its counts, and resuming from a saved state."""

import json
from datetime import datetime

import pytest

from monitoring.parsers.lmgrd_log import LogParser, LogParserState

# Counts checked with grep on '^ ?H:MM:SS (daemon) KIND'; rollovers are the numbers of
# FORMATS.md 4.3; resyncs 0 means every TIMESTAMP agreed with the computed date.
# file: (counts by kind, rollovers, malformed, untimed, first record at, last record at)
CORPUS = {
    "ImSukh__FlexLM-Log-Parser__debug.log": (
        {"DAEMON_START": 2, "DENIED": 2, "IN": 168, "OUT": 170, "TIMESTAMP": 102},
        13, 0, 0, datetime(2018, 7, 27, 15, 49, 10), datetime(2018, 8, 9, 14, 37, 34),
    ),
    "joseantoniovilar__Stats_Logs_FlexLM__autodesk.log": (
        {"DAEMON_START": 2, "IN": 5173, "OUT": 5177, "REREAD": 2, "TIMESTAMP": 299,
         "UNSUPPORTED": 2},
        38, 0, 0, datetime(2022, 5, 5, 8, 42, 23), datetime(2022, 6, 12, 10, 14, 46),
    ),
    "joseantoniovilar__Stats_Logs_FlexLM__maple.log": (
        {"DAEMON_START": 2, "IN": 262, "OUT": 262, "TIMESTAMP": 221},
        28, 0, 0, datetime(2022, 6, 9, 10, 25, 28), datetime(2022, 7, 7, 7, 38, 47),
    ),
    "joseantoniovilar__Stats_Logs_FlexLM__matlab.log": (
        {"DAEMON_START": 2, "DAEMON_STOP": 3, "IN": 9953, "OUT": 10007, "TIMESTAMP": 221,
         "UNSUPPORTED": 9},
        28, 0, 1, datetime(2022, 6, 9, 10, 25, 31), datetime(2022, 7, 7, 8, 14, 44),
    ),
    "justbennet__flexlm_reporter__ansys.2017-01-08_17-17-45.log": (
        {"DAEMON_START": 2, "EXPIRED": 1, "IN": 598, "OUT": 598, "TIMESTAMP": 322},
        41, 0, 1, datetime(2017, 1, 8, 17, 17, 45), datetime(2017, 2, 18, 6, 39, 57),
    ),
    "justbennet__flexlm_reporter__ansys.2017-06-08_09-49-41.log": (
        {"DAEMON_START": 2, "EXPIRED": 1, "IN": 2445, "OUT": 2455, "TIMESTAMP": 134},
        17, 0, 1, datetime(2017, 6, 8, 9, 49, 41), datetime(2017, 6, 25, 9, 25, 1),
    ),
    "lutzpeschlow__parse_lmgrd_log__lmgrd_anonym.log": (
        {"DAEMON_START": 2, "DAEMON_STOP": 2, "IN": 21, "OUT": 21},
        0, 0, 1, datetime(2026, 3, 8, 16, 11, 46), datetime(2026, 3, 8, 17, 9, 32),
    ),
    "radixy0__flexlm_analysis_modified__splm_ugslmd.log": (
        {"DAEMON_START": 2, "IN": 1, "OUT": 1},
        0, 2, 0, datetime(2021, 3, 21, 11, 58, 22), datetime(2021, 3, 21, 12, 49, 53),
    ),
    "sergioedo__flexlm-license-elk__sample.log": (
        {"DAEMON_START": 2, "IN": 1918, "OUT": 1918, "TIMESTAMP": 252},
        31, 0, 0, datetime(2016, 3, 30, 1, 56, 5), datetime(2016, 4, 30, 20, 0, 15),
    ),
}  # fmt: skip


def read_all(path, parser=None, start=0):
    parser = parser or LogParser()
    found = []
    with open(path, "rb") as handle:
        for records, _ in parser.iter_file(handle, start):
            found += records
    return found, parser


def test_every_log_corpus_file_is_covered(corpus_dir):
    assert {p.name.removesuffix(".txt") for p in (corpus_dir / "lmgrd-log").iterdir()} == set(
        CORPUS
    )


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_log_parses_with_expected_counts(corpus_dir, name):
    counts, rollovers, malformed, untimed, first_at, last_at = CORPUS[name]
    found, parser = read_all(corpus_dir / "lmgrd-log" / f"{name}.txt")
    state = parser.state
    assert state.counts == counts
    assert {kind: sum(r.kind == kind for r in found) for kind in counts} == counts
    assert (state.rollovers, state.resyncs, state.malformed, state.untimed) == (
        rollovers, 0, malformed, untimed,
    )  # fmt: skip
    assert (found[0].at, found[-1].at) == (first_at, last_at)
    assert all(r.at is not None for r in found)
    assert [r.at for r in found] == sorted(r.at for r in found)


def test_inactive_and_shutdown_checkins(corpus_dir):
    sample, _ = read_all(corpus_dir / "lmgrd-log" / "sergioedo__flexlm-license-elk__sample.log.txt")
    assert sum("inactive" in r.flags for r in sample) == 248
    msc, _ = read_all(
        corpus_dir / "lmgrd-log" / "lutzpeschlow__parse_lmgrd_log__lmgrd_anonym.log.txt"
    )
    shutdown = [r for r in msc if "shutdown" in r.flags]
    assert len(shutdown) == 8
    assert {r.detail.split(":")[0] for r in shutdown} == {"MSCONE"}


def test_non_ascii_user_names_with_spaces_and_machine_accounts(corpus_dir):
    logs = corpus_dir / "lmgrd-log"
    maple, _ = read_all(logs / "joseantoniovilar__Stats_Logs_FlexLM__maple.log.txt")
    assert sum(r.user == "Mª Cruz" and r.host == "mcruz" for r in maple) == 40
    matlab, _ = read_all(logs / "joseantoniovilar__Stats_Logs_FlexLM__matlab.log.txt")
    assert any(r.user == "luismiguel.ibanez$" and r.host == "CC39" for r in matlab)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_resuming_from_a_saved_state_equals_one_pass(corpus_dir, name):
    path = corpus_dir / "lmgrd-log" / f"{name}.txt"
    whole, whole_parser = read_all(path)
    with open(path, "rb") as handle:
        checkpoints = [offset for _, offset in LogParser().iter_file(handle)]
    cut = checkpoints[len(checkpoints) // 2]

    first_part = []
    parser = LogParser()
    with open(path, "rb") as handle:
        for records, offset in parser.iter_file(handle):
            first_part += records
            if offset == cut:
                saved = json.dumps(parser.state.to_dict())
                break
    resumed = LogParser(LogParserState.from_dict(json.loads(saved)))
    rest, resumed = read_all(path, resumed, start=cut)
    assert first_part + rest == whole
    assert resumed.state == whole_parser.state
