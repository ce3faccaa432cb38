"""rlmutil rlmstat -a: hand-written shapes and every corpus file."""

from datetime import date, datetime

import pytest

from monitoring.parsers import PARSERS, parse_rlmstat

STATUS = """\
Setting license file path to 5053@lic1:5053@lic2
rlmutil v12.2
Copyright (C) 2006-2017, Reprise Software, Inc. All rights reserved.

\trlm status on lic1 (port 5053), up 2d 01:00:00
\trlm software version v12.2 (build:2)
\tTodays Statistics (10:30:00), init time: Tue Nov  2 00:00:00 2021

\t--------- ISV servers ----------
\t   Name           Port Running Restarts
\tfoundry          5054   Yes      0
\tother            5055    No      1

\t------------------------

\tfoundry ISV server status on lic1 (port 5054), up 2d 00:59:58
\tfoundry software version v12.3 (build: 2)
\tfoundry license pool status on lic1 (port 5054)

\tnuke v13.0, pool: 1
\t\tcount: 10, # reservations: 2, inuse: 3, exp: permanent
\t\tobsolete: 0, min_remove: 120, total checkouts: 40
\tnuke v12.0, pool: 2
\t\tcount: 5, # reservations: 0, inuse: 1, exp: 1-jan-2022
\t\tobsolete: 0, min_remove: 120, total checkouts: 4

\tfoundry license usage status on lic1 (port 5054)

\tnuke v13.0: Mª Cruz@ws-7 2/0 at 11/02 09:15  (handle: 15a)
\tnuke v13.0: bob@ws-8 1/0 at 12/31 23:50  (handle: c4)
"""


def test_status_time_is_statistics_init_plus_elapsed():
    assert parse_rlmstat(STATUS.splitlines()).status_time == datetime(2021, 11, 2, 10, 30)


def test_server_isvs_and_license_path():
    report = parse_rlmstat(STATUS.splitlines())
    assert report.license_files == ["5053@lic1", "5053@lic2"]
    assert [(s.host, s.port, s.up, s.version) for s in report.servers] == [
        ("lic1", 5053, True, "12.2")
    ]
    assert [(v.name, v.port, v.up, v.version) for v in report.vendors] == [
        ("foundry", 5054, True, "12.3"),
        ("other", 5055, False, None),
    ]
    assert report.is_up


def test_pools_of_one_product_add_up():
    nuke = parse_rlmstat(STATUS.splitlines()).feature("nuke", vendor="foundry")
    assert (nuke.issued, nuke.in_use, nuke.reserved) == (15, 4, 2)
    assert [(v.version, v.count, v.permanent, v.expiry) for v in nuke.versions] == [
        ("13.0", 10, True, None),
        ("12.0", 5, False, date(2022, 1, 1)),
    ]


def test_usage_lines_are_checkouts_with_inferred_year():
    first, second = parse_rlmstat(STATUS.splitlines()).checkouts
    assert (first.user, first.host, first.licenses, first.handle) == ("Mª Cruz", "ws-7", 2, "15a")
    assert (first.server_host, first.server_port) == ("lic1", "5054")
    assert first.started_at == datetime(2021, 11, 2, 9, 15)
    assert second.started_at == datetime(2020, 12, 31, 23, 50)  # would be in the future


def test_without_statistics_the_callers_now_is_the_reference():
    lines = [line for line in STATUS.splitlines() if "Statistics" not in line]
    report = parse_rlmstat(lines, now=datetime(2022, 1, 5, 8, 0))
    assert report.status_time is None
    assert report.checkouts[0].started_at == datetime(2021, 11, 2, 9, 15)


def test_connection_failure_is_a_whole_server_error():
    report = parse_rlmstat(
        [
            'Error connecting to "rlm" server',
            'Connection attempted to host: "lic9" on port 27007',
            "Bad hostname for network connect (-131)",
            "This error usually means that:",
            " (1) The hostname in the license file cannot be found, or",
        ]
    )
    assert not report.is_up
    assert (
        report.error == 'Error connecting to "rlm" server: Bad hostname for network connect (-131)'
    )
    assert [(s.host, s.port, s.up) for s in report.servers] == [("lic9", 27007, False)]
    assert report.unparsed_count == 0


def test_rlm_is_registered_for_polling():
    assert PARSERS["rlm"] is parse_rlmstat


# file: (features, checkouts, licenses held, issued total, in use total, vendors, servers up,
#        status time, unparsed)
CORPUS = {
    "JordiRoman__check_rlm__readme": (1, 0, 0, 100, 0, 1, 0, datetime(2024, 5, 20, 8, 41, 23), 1),
    "omnivector-solutions__license-manager__conftest_another_rlm_output": (
        22, 4, 4, 1013048, 4, 2, 0, None, 0,
    ),
    "omnivector-solutions__license-manager__conftest_rlm_output": (
        5, 3, 93, 1092, 93, 1, 1, datetime(2021, 11, 3, 12, 48, 38), 0,
    ),
    "omnivector-solutions__license-manager__conftest_rlm_output_bad": (
        0, 0, 0, 0, 0, 0, 0, None, 0,
    ),
    "omnivector-solutions__license-manager__conftest_rlm_output_no_licenses": (
        5, 0, 0, 1092, 0, 1, 1, datetime(2021, 11, 8, 16, 1, 29), 0,
    ),
    "omnivector-solutions__license-manager__rlm": (0, 0, 0, 0, 0, 0, 0, None, 1),
}  # fmt: skip


def test_every_rlmstat_corpus_file_is_covered(corpus_dir):
    assert {p.name.removesuffix(".txt") for p in (corpus_dir / "rlmstat").iterdir()} == set(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_file_parses_with_expected_counts(corpus_dir, name):
    with open(corpus_dir / "rlmstat" / f"{name}.txt", "rb") as handle:
        report = parse_rlmstat(handle)
    assert (
        len(report.features),
        len(report.checkouts),
        sum(c.licenses for c in report.checkouts),
        sum(f.issued or 0 for f in report.features),
        sum(f.in_use or 0 for f in report.features),
        len(report.vendors),
        sum(s.up for s in report.servers),
        report.status_time,
        report.unparsed_count,
    ) == CORPUS[name]


def test_failure_outputs_are_errors(corpus_dir):
    for name, host in (
        ("omnivector-solutions__license-manager__rlm", "licserv0001"),
        ("omnivector-solutions__license-manager__conftest_rlm_output_bad", ""),
    ):
        with open(corpus_dir / "rlmstat" / f"{name}.txt", "rb") as handle:
            report = parse_rlmstat(handle)
        assert report.error.startswith('Error connecting to "rlm" server')
        assert [s.host for s in report.servers] == [host]


def test_abridged_pool_list_belongs_to_the_isv_that_uses_it(corpus_dir):
    name = "omnivector-solutions__license-manager__conftest_another_rlm_output"
    with open(corpus_dir / "rlmstat" / f"{name}.txt", "rb") as handle:
        report = parse_rlmstat(handle)
    assert report.feature("powerexport").vendor == "exacorp"
    assert report.feature("powertherm").vendor == "tainc"
    assert [c.handle for c in report.feature("powercase").checkouts] == ["182", "c4", "11c"]
