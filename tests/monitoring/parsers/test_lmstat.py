"""lmutil lmstat -a: hand-written core shapes, then every corpus file with its counts."""

from datetime import date, datetime

import pytest

from monitoring.parsers import parse_lmstat

UP_TRIAD = """\
lmutil - Copyright (c) 1989-2019 Flexera. All Rights Reserved.
Flexible License Manager status on Mon 9/28/2026 18:05

License server status: 27000@lic1,27000@lic2,27000@lic3
    License file(s) on lic1: /opt/flexlm/license.dat:

      lic1: license server UP (MASTER) v11.16.2
      lic2: license server UP v11.16.2
      lic3: Cannot read data from license server system. (-16,287)

Vendor daemon status (on lic1):

       MLM: UP v11.16.2
Feature usage info:

Users of MATLAB:  (Total of 10 licenses issued;  Total of 3 licenses in use)

  "MATLAB" v44, vendor: MLM, expiry: 31-dec-2099
  vendor_string: QQ
  floating license

\t2 RESERVATIONs for GROUP DED (lic1/27000)
    alice pc1 pc1 (v44) (lic1/27000 101), start Mon 9/28 8:01
    bob pc2 /dev/pts/3 (v43) (lic1/27000 202), start Sun 9/27 23:59, 2 licenses, PID: 4711 \n\
    carol pc3 pc3 2017.06 (v44) (lic1/27000 303) queued for 1 license

Users of SERIAL:  (Uncounted, node-locked)

Users of Old:  (Error: 21 licenses, unsupported by licensed server)

Users of Gone: Cannot get users of Gone: No such feature exists. (-5,222)
"""


def parse(text: str):
    return parse_lmstat(text.splitlines())


def test_header_date_is_the_status_time():
    assert parse(UP_TRIAD).status_time == datetime(2026, 9, 28, 18, 5)


def test_triad_members_with_master_version_and_error():
    servers = parse(UP_TRIAD).servers
    assert [(s.host, s.port, s.up, s.is_master) for s in servers] == [
        ("lic1", 27000, True, True),
        ("lic2", 27000, True, False),
        ("lic3", 27000, False, False),
    ]
    assert servers[0].version == "11.16.2"
    assert (servers[2].error.major, servers[2].error.minor) == (-16, 287)
    assert servers[2].error.message == "Cannot read data from license server system."


def test_feature_counts_version_block_and_vendor():
    matlab = parse(UP_TRIAD).feature("MATLAB")
    assert (matlab.vendor, matlab.issued, matlab.in_use, matlab.uncounted) == ("MLM", 10, 3, False)
    (version,) = matlab.versions
    assert version.version == "44"
    assert version.expiry == date(2099, 12, 31)
    assert version.vendor_string == "QQ"
    assert version.license_type == "floating"


def test_user_lines_become_checkouts_with_suffixes():
    alice, bob = parse(UP_TRIAD).feature("MATLAB").checkouts
    assert (alice.user, alice.host, alice.display, alice.version) == ("alice", "pc1", "pc1", "44")
    assert (alice.server_host, alice.server_port, alice.handle) == ("lic1", "27000", "101")
    assert alice.started_at == datetime(2026, 9, 28, 8, 1)
    assert (alice.licenses, alice.pid, alice.borrowed) == (1, None, False)
    assert bob.display == "/dev/pts/3"
    assert bob.started_at == datetime(2026, 9, 27, 23, 59)
    assert (bob.licenses, bob.pid) == (2, 4711)


def test_reservations_and_queued_requests_are_not_checkouts():
    matlab = parse(UP_TRIAD).feature("MATLAB")
    (reservation,) = matlab.reservations
    assert (reservation.count, reservation.kind, reservation.name) == (2, "GROUP", "DED")
    assert matlab.reserved == 2
    (queued,) = matlab.queued
    assert (queued.user, queued.host, queued.display, queued.licenses) == (
        "carol",
        "pc3",
        "pc3 2017.06",
        1,
    )


def test_uncounted_and_error_features_have_unknown_counts_not_zero():
    report = parse(UP_TRIAD)
    serial, old, gone = (report.feature(n) for n in ("SERIAL", "Old", "Gone"))
    assert serial.uncounted and serial.issued is None and serial.in_use is None
    assert old.issued is None and old.note == "Error: 21 licenses, unsupported by licensed server"
    assert gone.issued is None and gone.note.startswith("Cannot get users of Gone")
    assert report.unparsed_count == 0


def test_whole_server_failure_is_an_error_not_an_empty_server():
    report = parse(
        "lmutil - Copyright (c) 1989-2019 Flexera. All Rights Reserved.\n"
        "Flexible License Manager status on Mon 9/28/2026 18:05\n\n"
        'Error getting status: Cannot connect to license server system. (-15,570:111 "Connection '
        'refused")\n'
    )
    assert not report.is_up
    assert report.error.startswith("Cannot connect to license server system.")
    assert report.features == []


def test_user_name_with_a_space_when_host_and_display_repeat():
    text = UP_TRIAD.replace("alice pc1 pc1", "Quantenna FAE4 LAPTOP-1 LAPTOP-1")
    checkout = parse(text).feature("MATLAB").checkouts[0]
    assert (checkout.user, checkout.host, checkout.display) == (
        "Quantenna FAE4",
        "LAPTOP-1",
        "LAPTOP-1",
    )


def test_two_number_linger_marks_a_borrowed_license():
    text = UP_TRIAD.replace(
        "start Mon 9/28 8:01", "start Mon 9/28 8:01  (linger: 885098 / 1340160)"
    )
    checkout = parse(text).feature("MATLAB").checkouts[0]
    assert (checkout.linger_seconds, checkout.linger_remaining, checkout.borrowed) == (
        885098,
        1340160,
        True,
    )


def test_same_feature_under_two_vendors_is_two_features():
    text = """\
Flexible License Manager status on Mon 9/28/2026 18:05
Vendor daemon status (on licsrv):
       MLM: UP v11.16.2
Feature usage info:
Users of solver:  (Total of 4 licenses issued;  Total of 1 license in use)
       cdslmd: UP v11.16.2
Feature usage info:
Users of solver:  (Total of 8 licenses issued;  Total of 2 licenses in use)
"""
    report = parse(text)
    assert [f.key for f in report.features] == [("MLM", "solver"), ("cdslmd", "solver")]
    assert report.feature("solver", vendor="cdslmd").issued == 8


def test_start_year_comes_from_the_weekday_around_new_year():
    text = UP_TRIAD.replace("start Mon 9/28 8:01", "start Sat 12/31 23:59").replace(
        "status on Mon 9/28/2026", "status on Thu 1/1/2026"
    )
    assert parse(text).feature("MATLAB").checkouts[0].started_at == datetime(2025, 12, 31, 23, 59)


def test_unknown_lines_are_counted_and_kept():
    report = parse("$ ./lmutil lmstat -a\n" + UP_TRIAD + "something odd\n")
    assert report.unparsed_count == 2
    assert report.unparsed[0] == (1, "$ ./lmutil lmstat -a")


# file: (features, unknown-count features, checkouts, licenses checked out, reservation lines,
#        queued, servers, servers up, vendor daemons, daemons up, borrowed, unparsed lines)
# Checked against grep: "Users of", ", start ", ", N licenses" sums, "RESERVATION", "queued for",
# "license server UP", "vendor daemon is down", "Uncounted|Error:|Cannot get users".
CORPUS = {
    "CharlesWB__LicenseStatus__lmstat-acad.log": (22, 0, 116, 116, 0, 0, 3, 3, 1, 1, 24, 0),
    "CharlesWB__LicenseStatus__lmstat-combined.log": (6, 0, 0, 0, 0, 0, 1, 1, 2, 2, 0, 0),
    "CharlesWB__LicenseStatus__lmstat-connect.log": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "CharlesWB__LicenseStatus__lmstat-errors.log": (11, 11, 0, 0, 0, 0, 3, 3, 1, 0, 0, 0),
    "CharlesWB__LicenseStatus__lmstat-invalid.log": (0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0),
    "CharlesWB__LicenseStatus__lmstat-large.log": (500, 0, 500, 500, 0, 0, 1, 1, 1, 1, 0, 0),
    "CharlesWB__LicenseStatus__lmstat-nx.log": (135, 0, 47, 47, 0, 0, 3, 3, 1, 1, 0, 0),
    "CharlesWB__LicenseStatus__lmstat-test.log": (7, 2, 38, 38, 0, 0, 1, 1, 1, 1, 2, 0),
    "FaraSeer__lmstat_log_parser__data.log": (7, 1, 323, 1005, 0, 0, 1, 1, 1, 1, 185, 0),
    "ThomasWagnerJKU__check_flexlm__down_a": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "ThomasWagnerJKU__check_flexlm__triad_a": (1, 0, 0, 0, 0, 0, 3, 2, 1, 1, 0, 0),
    "ThomasWagnerJKU__check_flexlm__two_vendors_a": (3, 0, 0, 0, 0, 0, 1, 1, 2, 2, 0, 0),
    "ThomasWagnerJKU__check_flexlm__up_a": (4, 1, 3, 3, 0, 0, 1, 1, 1, 1, 0, 0),
    "ThomasWagnerJKU__check_flexlm__vendor_down_a": (4, 1, 3, 3, 0, 0, 1, 1, 1, 0, 0, 0),
    "Wildsong__arctic-monitor__lmstat": (11, 0, 3, 3, 0, 0, 1, 1, 1, 1, 0, 1),
    "justbennet__flexlm_reporter__lmstat.out": (51, 0, 375, 375, 0, 0, 1, 1, 1, 1, 0, 0),
    "mjtrangoni__flexlm_exporter__lmstat_app1": (54, 0, 127, 2294, 332, 2, 3, 3, 1, 1, 2, 0),
    "mjtrangoni__flexlm_exporter__lmstat_app2": (10, 0, 38, 38, 0, 0, 3, 3, 1, 1, 0, 0),
    "mjtrangoni__flexlm_exporter__lmstat_app3": (46, 0, 168, 206, 0, 0, 3, 3, 2, 2, 0, 0),
    "mjtrangoni__flexlm_exporter__lmstat_app4": (60, 3, 5, 5, 0, 0, 1, 1, 1, 1, 0, 0),
    "mjtrangoni__flexlm_exporter__lmstat_app5": (122, 4, 85, 85, 0, 0, 1, 1, 1, 1, 0, 0),
    "mjtrangoni__flexlm_exporter__lmstat_app6": (53, 1, 106, 106, 6, 0, 1, 1, 1, 1, 0, 0),
    "mjtrangoni__flexlm_exporter__lmstat_app7": (3, 0, 5, 5, 0, 0, 1, 1, 1, 1, 0, 0),
    "mjtrangoni__flexlm_exporter__lmstat_app8": (1, 0, 4, 4, 0, 0, 1, 1, 1, 1, 0, 0),
    "mjtrangoni__flexlm_exporter__lmstat_server_down": (2, 0, 0, 0, 0, 0, 3, 2, 1, 1, 0, 0),
    "mjtrangoni__flexlm_exporter__lmstat_server_up_win": (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0),
    "omnivector-solutions__license-manager__lmutil": (1, 0, 38, 737, 0, 0, 3, 3, 1, 1, 0, 0),
    "radixy0__lmutil_parser_py__lmstat_A_only_in_Use": (4, 0, 6, 6, 0, 0, 1, 1, 2, 2, 0, 0),
    "shohirose__flexlm-python-scripts__app-features": (5, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0),
}


def load(corpus_dir, name):
    with open(corpus_dir / "lmstat-a" / f"{name}.txt", "rb") as handle:
        return parse_lmstat(handle)


def test_every_lmstat_corpus_file_is_covered(corpus_dir):
    assert {p.name.removesuffix(".txt") for p in (corpus_dir / "lmstat-a").iterdir()} == set(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_file_parses_with_expected_counts(corpus_dir, name):
    report = load(corpus_dir, name)
    features = report.features
    assert (
        len(features),
        sum(f.issued is None for f in features),
        len(report.checkouts),
        sum(c.licenses for c in report.checkouts),
        sum(len(f.reservations) for f in features),
        sum(len(f.queued) for f in features),
        len(report.servers),
        sum(s.up for s in report.servers),
        len(report.vendors),
        sum(v.up for v in report.vendors),
        sum(c.borrowed for c in report.checkouts),
        report.unparsed_count,
    ) == CORPUS[name]
    assert all(c.started_at is not None for c in report.checkouts)
