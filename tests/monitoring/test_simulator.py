"""The license-server simulator: real-parser output, determinism, rhythms, outages, CLI."""

import io
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitoring.parsers import PARSERS
from monitoring.simulator import estate, status, usage
from monitoring.simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "monitoring" / "simulator" / "bin"


def local_moment(server, *args) -> int:
    """Epoch seconds of a local wall-clock time at ``server``'s site."""
    zone = ZoneInfo(estate.site(server.site).timezone)
    return int(datetime(*args, tzinfo=zone).timestamp())


def up_moment(server, *args) -> int:
    """A local moment near ``args`` when ``server`` answers (skips an outage)."""
    moment = local_moment(server, *args)
    while usage.is_down(server, moment):
        moment += 3600
    return moment


def parse(server, moment):
    return PARSERS[server.kind](status.render(server, moment).splitlines())


def keys(report):
    return {(c.user, c.host, c.handle) for c in report.checkouts}


# Wednesday 2 December 2026, mid-morning local time
BUSY = (2026, 12, 2, 10, 30)


@pytest.mark.parametrize("server", estate.SERVERS, ids=lambda s: s.name)
def test_output_parses_with_the_real_parser_and_lists_every_estate_feature(server):
    report = parse(server, up_moment(server, *BUSY))
    assert report.is_up
    assert report.unparsed_count == 0
    expected = {(f.vendor, f.name): f for f in estate.features_of(server.name)}
    assert {f.key for f in report.features} == set(expected)
    for feature in report.features:
        spec = expected[feature.key]
        if spec.issued is None:
            assert feature.uncounted
            continue
        assert feature.issued == spec.issued
        assert feature.in_use == sum(c.licenses for c in feature.checkouts) <= spec.issued
        assert feature.versions[0].version == spec.version


def test_a_busy_weekday_has_checkouts_queues_and_idle_features():
    flex1 = estate.server("flex1")
    report = parse(flex1, up_moment(flex1, *BUSY))
    matlab = report.feature("MATLAB", "MLM")
    assert matlab.in_use >= 0.9 * matlab.issued  # saturated at peak
    assert matlab.queued
    assert report.feature("Simulink_Control_Design", "MLM").in_use <= 1  # nearly unused
    assert len(report.checkouts) > 50


def test_weekdays_are_busier_than_nights_and_weekends():
    flex1 = estate.server("flex1")
    weekday = parse(flex1, up_moment(flex1, *BUSY))
    night = parse(flex1, up_moment(flex1, 2026, 12, 2, 3, 0))
    sunday = parse(flex1, up_moment(flex1, 2026, 12, 6, 11, 0))
    assert len(weekday.checkouts) > 3 * len(night.checkouts)
    assert len(weekday.checkouts) > 3 * len(sunday.checkouts)


def test_status_is_a_pure_function_of_the_instant():
    rlm1 = estate.server("rlm1")
    moment = up_moment(rlm1, *BUSY)
    assert status.render(rlm1, moment) == status.render(rlm1, moment)
    first, second = io.StringIO(), io.StringIO()
    env = {"LIMON_SIM_NOW": datetime.fromtimestamp(moment).astimezone().isoformat()}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        assert main(["rlmstat", "-a", "-c", "5053@rlm1"], out=first) == 0
        assert main(["rlmstat", "-a", "-c", "5053@rlm1"], out=second) == 0
    assert first.getvalue() == second.getvalue() == status.render(rlm1, moment)


def test_polls_five_minutes_apart_share_most_checkouts_with_stable_start_times():
    flex1 = estate.server("flex1")
    moment = up_moment(flex1, *BUSY)
    before, after = parse(flex1, moment), parse(flex1, moment + 300)
    kept = keys(before) & keys(after)
    assert len(kept) >= 0.8 * len(keys(before))
    assert keys(before) != keys(after)
    starts = {(c.user, c.host, c.handle): c.started_at for c in before.checkouts}
    for checkout in after.checkouts:
        if (checkout.user, checkout.host, checkout.handle) in kept:
            assert starts[(checkout.user, checkout.host, checkout.handle)] == checkout.started_at


def test_live_status_agrees_with_the_history_computed_over_days():
    feature = next(f for f in estate.FEATURES if f.name == "ansys")
    moment = local_moment(estate.server(feature.server), *BUSY)
    history = usage.schedule(
        usage.requests_between(feature, moment - 4 * 86400, moment + 1), feature.issued
    )
    from_history = {
        (r.user, r.handle, r.granted) for r in history if r.granted is not None
        and r.granted <= moment < r.end
    }  # fmt: skip
    holding, _ = usage.state_at(feature, moment)
    assert {(r.user, r.handle, r.granted) for r in holding} == from_history
    assert sum(r.licenses for r in holding) <= feature.issued


def test_the_flaky_server_is_down_now_and_then_with_the_real_error():
    flex3 = estate.server("flex3")
    begin = local_moment(flex3, 2026, 11, 1, 0, 0)
    windows = usage.outages(flex3, begin, begin + 30 * 86400)
    assert 3 <= len(windows) <= 25
    start, end = windows[0]
    text = status.render(flex3, start + 60)
    assert "Cannot connect to license server system." in text
    report = PARSERS["flexlm"](text.splitlines())
    assert not report.is_up
    assert report.error and "Cannot connect" in report.error
    assert parse(flex3, end + 60).is_up or usage.is_down(flex3, end + 60)
    assert all(not usage.outages(s, begin, begin + 30 * 86400) for s in estate.SERVERS
               if s is not flex3)  # fmt: skip


def test_a_triad_member_drops_out_while_the_triad_keeps_serving():
    triad = estate.server("cae-triad")
    begin = local_moment(triad, 2026, 11, 1, 0, 0)
    start, _ = usage.outages(triad, begin, begin + 30 * 86400, host="h3")[0]
    report = parse(triad, start + 60)
    nodes = {node.host: node for node in report.servers}
    assert report.is_up and not nodes["h3"].up and nodes["h1"].up and nodes["h2"].up
    assert report.features


def test_version_flag_answers_for_each_tool():
    out = io.StringIO()
    assert main(["-v"], tool="lmutil", out=out) == 0
    assert out.getvalue().startswith(f"lmutil v{status.FLEX_VERSION}")
    out = io.StringIO()
    assert main(["-v"], tool="rlmutil", out=out) == 0
    assert out.getvalue().startswith(f"rlmutil v{status.RLM_VERSION}")


def test_unknown_address_and_wrong_command_fail():
    out = io.StringIO()
    assert main(["lmstat", "-a", "-c", "27000@nowhere"], tool="lmutil", out=out) == 1
    assert "Cannot connect to license server system" in out.getvalue()
    assert main(["rlmstat", "-a", "-c", "5053@rlm1"], tool="lmutil", out=io.StringIO()) == 2
    assert main(["lmstat", "-a"], tool="lmutil", out=io.StringIO()) == 2


def _run(*args, now="2026-12-02T09:30:00Z"):
    env = {**os.environ, "LIMON_SIM_NOW": now}
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=30, check=False)


def test_wrapper_scripts_run_as_the_configured_tools():
    for tool in ("lmutil", "rlmutil"):
        path = BIN / tool
        assert os.access(path, os.X_OK)
        assert _run(str(path), "-v").stdout.startswith(f"{tool} v")
    flex = _run(str(BIN / "lmutil"), "lmstat", "-a", "-c", "27000@h1,27000@h2,27000@h3")
    assert flex.returncode == 0, flex.stderr
    report = PARSERS["flexlm"](flex.stdout.splitlines())
    assert report.is_up and report.feature("ansys", "ansyslmd") is not None
    rlm = _run(str(BIN / "rlmutil"), "rlmstat", "-a", "-c", "5053@rlm1")
    assert rlm.returncode == 0, rlm.stderr
    assert PARSERS["rlm"](rlm.stdout.splitlines()).feature("keyshot", "luxion") is not None


def test_module_entry_point_prints_the_status_for_now():
    result = subprocess.run(
        [sys.executable, "-m", "monitoring.simulator", "lmstat", "-a", "-c", "27000@flex2"],
        capture_output=True, text=True, cwd=ROOT, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = PARSERS["flexlm"](result.stdout.splitlines())
    today = datetime.now(ZoneInfo("America/Detroit")).replace(tzinfo=None)
    assert abs(report.status_time - today) < timedelta(minutes=2) or report.error
