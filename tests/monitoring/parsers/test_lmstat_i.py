"""lmutil lmstat -i (inventory) in both column orders, and the shared value parsers."""

from datetime import date

import pytest

from monitoring.parsers import parse_lmstat_i
from monitoring.parsers._common import parse_expiry
from monitoring.parsers.model import parse_flex_error

VENDOR_LAST = """\
Feature                         Version     #licenses    Expires      Vendor
_______                         _________   _________    __________   ______
MATLAB                          44          10           1-jan-0      MLM
SIMULINK                        44          5            permanent(no expiration date) MLM
Compiler                        44          uncounted    31-dec-2099  MLM
MATLAB                          45          2            30-sep-2027  MLM
"""

VENDOR_FIRST = """\
NOTE: lmstat -i does not give information from the server,
      but only reads the license file.  For this reason,
      lmstat -a is recommended instead.

Feature                         Version     #licenses    Vendor        Expires
_______                         _________   _________    ______        ________
feature_name_9                   15.0         2           vendor       permanent(no expiration date)
feature_name_10                  15.0         2           vendor       30-apr-2020
"""


def test_expires_then_vendor_with_overflowing_permanent():
    report = parse_lmstat_i(VENDOR_LAST.splitlines())
    simulink = report.feature("SIMULINK")
    assert (simulink.vendor, simulink.issued) == ("MLM", 5)
    assert simulink.versions[0].permanent
    assert report.unparsed_count == 0


def test_several_rows_of_a_feature_add_up_with_one_version_each():
    matlab = parse_lmstat_i(VENDOR_LAST.splitlines()).feature("MATLAB")
    assert matlab.issued == 12
    assert [(v.version, v.count, v.expiry, v.permanent) for v in matlab.versions] == [
        ("44", 10, None, True),
        ("45", 2, date(2027, 9, 30), False),
    ]


def test_uncounted_rows_have_unknown_issued():
    compiler = parse_lmstat_i(VENDOR_LAST.splitlines()).feature("Compiler")
    assert (compiler.uncounted, compiler.issued) == (True, None)


def test_vendor_then_expires_order_is_read_from_the_header():
    report = parse_lmstat_i(VENDOR_FIRST.splitlines())
    assert [(f.vendor, f.name, f.versions[0].expiry) for f in report.features] == [
        ("vendor", "feature_name_9", None),
        ("vendor", "feature_name_10", date(2020, 4, 30)),
    ]


def test_rows_without_a_header_are_unparsed():
    report = parse_lmstat_i(VENDOR_LAST.splitlines()[2:])
    assert (report.features, report.unparsed_count) == ([], 4)


# file: (features, rows, issued total over counted features, uncounted features, error?)
CORPUS = {
    "ThomasWagnerJKU__check_flexlm__down_i": (0, 0, 0, 0, True),
    "ThomasWagnerJKU__check_flexlm__permanent_i": (4, 4, 16, 1, False),
    "ThomasWagnerJKU__check_flexlm__up_i": (4, 4, 16, 1, False),
    "mjtrangoni__flexlm_exporter__lmstat_i_app1": (16, 17, 1015, 0, False),
    "mjtrangoni__flexlm_exporter__lmstat_i_app2": (9, 9, 11, 0, False),
}


def test_every_lmstat_i_corpus_file_is_covered(corpus_dir):
    assert {p.name.removesuffix(".txt") for p in (corpus_dir / "lmstat-i").iterdir()} == set(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_inventory_with_expected_counts(corpus_dir, name):
    with open(corpus_dir / "lmstat-i" / f"{name}.txt", "rb") as handle:
        report = parse_lmstat_i(handle)
    assert (
        len(report.features),
        sum(len(f.versions) for f in report.features),
        sum(f.issued or 0 for f in report.features),
        sum(f.uncounted for f in report.features),
        report.error is not None,
    ) == CORPUS[name]
    assert report.unparsed_count == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31-jan-2018", (date(2018, 1, 31), False)),
        ("1-jan-0", (None, True)),
        ("01-jan-0000", (None, True)),
        ("permanent(no expiration date)", (None, True)),
        ("permanent", (None, True)),
        ("01-jan-2099", (date(2099, 1, 1), False)),
        ("31-feb-2020", (None, False)),
        ("soon", (None, False)),
    ],
)
def test_expiry_forms(text, expected):
    assert parse_expiry(text) == expected


def test_flex_error_with_and_without_errno():
    error = parse_flex_error(
        'Cannot connect to license server system. (-15,10:10061 "WinSock: Connection refused")'
    )
    assert (error.major, error.minor, error.errno, error.text) == (
        -15,
        10,
        10061,
        "WinSock: Connection refused",
    )
    assert error.message == "Cannot connect to license server system."
    short = parse_flex_error("The desired vendor daemon is down. (-97,121)")
    assert (short.major, short.minor, short.errno, short.text) == (-97, 121, None, None)
    assert str(short) == "The desired vendor daemon is down. (-97,121)"
    assert parse_flex_error("no code here") is None
