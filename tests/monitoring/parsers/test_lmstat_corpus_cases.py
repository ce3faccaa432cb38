"""Corpus files that each exercise one hard variation of lmstat -a (see FORMATS.md)."""

from datetime import date, datetime

from monitoring.parsers import parse_lmstat


def load(corpus_dir, name):
    with open(corpus_dir / "lmstat-a" / f"{name}.txt", "rb") as handle:
        return parse_lmstat(handle)


def test_year_inference_matrix_of_charleswb_test(corpus_dir):
    report = load(corpus_dir, "CharlesWB__LicenseStatus__lmstat-test.log")
    starts = {
        c.user: c.started_at
        for c in report.feature("Feature_With_Various_Dates_4_12_2012").checkouts
    }
    assert starts["user_d05"] == datetime(2012, 4, 12, 0, 0)
    assert starts["user_d07"] == datetime(2012, 4, 12, 23, 59)
    assert starts["user_d16"] == datetime(2012, 1, 1, 0, 0)
    assert starts["user_d17"] == datetime(2011, 12, 31, 23, 59)  # Saturday only in 2011
    assert starts["user_d18"] == datetime(2011, 4, 11, 7, 0)  # "Mon 4/11": Monday in 2011
    assert starts["user_d27"] == datetime(2012, 5, 1, 0, 0)  # after the header: clock skew kept


def test_two_version_blocks_under_one_feature(corpus_dir):
    feature = load(corpus_dir, "FaraSeer__lmstat_log_parser__data.log").feature("ixchariot_fs")
    assert [v.version for v in feature.versions] == [
        "2015.0325",
        "2016.0831",
        "2018.0705",
        "2018.1231",
    ]
    assert all(v.permanent and v.expiry is None for v in feature.versions)


def test_windows_license_paths_are_not_split_on_drive_colons(corpus_dir):
    report = load(corpus_dir, "radixy0__lmutil_parser_py__lmstat_A_only_in_Use")
    assert report.license_files == [
        r"C:\FLEXLM1\Licenses\SELicense_belnspseflex01.lic",
        r"C:\FLEXLM1\Licenses\ugslmd_belnspseflex01_08-Jan-2021.lic",
    ]


def test_detail_vendor_wins_over_the_daemon_section(corpus_dir):
    report = load(corpus_dir, "radixy0__lmutil_parser_py__lmstat_A_only_in_Use")
    assert {f.vendor for f in report.features} == {"ugslmd"}
    assert [v.name for v in report.vendors] == ["selmd", "ugslmd"]


def test_consecutive_daemons_leave_the_vendor_of_bare_features_unknown(corpus_dir):
    report = load(corpus_dir, "mjtrangoni__flexlm_exporter__lmstat_app3")
    assert report.feature("feature1").vendor is None
    assert report.feature("feature5").vendor == "vendor1"


def test_uncounted_feature_with_nodelocked_detail(corpus_dir):
    serial = load(corpus_dir, "mjtrangoni__flexlm_exporter__lmstat_app4").feature("SERIAL")
    (version,) = serial.versions
    assert (version.license_type, version.detail) == (
        "uncounted nodelocked",
        "locked to NOTHING (hostid=ANY)",
    )
    assert version.permanent
    assert serial.checkouts[0].server_port == "port"  # redacted, non-numeric


def test_garbage_display_and_mixed_line_endings(corpus_dir):
    report = load(corpus_dir, "Wildsong__arctic-monitor__lmstat")
    first = report.feature("ARC/INFO").checkouts[0]
    assert (first.user, first.host, first.display) == ("jsmith", "machine1", "w%.=H@QVO!;~_8'")
    assert report.unparsed == [(1, "./lmutil lmstat -c service.txt -a")]


def test_extra_tokens_before_the_version_stay_in_the_display(corpus_dir):
    checkouts = load(corpus_dir, "mjtrangoni__flexlm_exporter__lmstat_app8").checkouts
    assert checkouts[1].display == "host-01:0895184_3 2029.01"
    assert checkouts[1].pid == 895184
    no_display = load(corpus_dir, "mjtrangoni__flexlm_exporter__lmstat_app7").checkouts[1]
    assert (no_display.user, no_display.host, no_display.display) == ("user2", "host-01", "")


def test_two_masters_are_both_reported(corpus_dir):
    report = load(corpus_dir, "CharlesWB__LicenseStatus__lmstat-errors.log")
    assert [s.is_master for s in report.servers] == [True, True, False]
    assert report.vendors[0].error.major == -97


def test_same_server_in_two_cases_is_one_server(corpus_dir):
    report = load(corpus_dir, "mjtrangoni__flexlm_exporter__lmstat_server_up_win")
    assert [(s.host, s.is_master) for s in report.servers] == [("BVS15004", True)]
    assert report.license_files == [r"licensing\license.dat"]


def test_down_triad_member_keeps_its_errno_text(corpus_dir):
    host3 = load(corpus_dir, "mjtrangoni__flexlm_exporter__lmstat_server_down").servers[2]
    assert (host3.host, host3.up, host3.error.errno, host3.error.text) == (
        "host3",
        False,
        115,
        "Operation now in progress",
    )


def test_vendor_down_but_features_still_printed(corpus_dir):
    report = load(corpus_dir, "ThomasWagnerJKU__check_flexlm__vendor_down_a")
    assert not report.vendors[0].up
    assert report.feature("MATLAB").versions[0].expiry == date(2099, 12, 31)
    assert len(report.feature("MATLAB").checkouts) == 2


def test_zero_padded_header_hour(corpus_dir):
    report = load(corpus_dir, "FaraSeer__lmstat_log_parser__data.log")
    assert report.status_time == datetime(2018, 9, 24, 5, 52)
