"""Status tools run for real: small executable Python scripts stand in for lmutil/rlmutil.

``FakeTool`` (also used by the polling tests) writes one script that prints, for the server
address it is called with, the text of ``<address>.txt`` next to it; ``<address>.sleep`` makes
it sleep first, ``<address>.rc`` sets its exit status. Every call's arguments are appended to
``calls.log``.
"""

import stat
import sys
import textwrap
from pathlib import Path

import pytest

from limon_site import config
from monitoring.conf import TOOLS
from monitoring.parsers import parse_lmstat
from monitoring.tools import TOOL_KINDS, ToolError, run_status_tool, validate_tool
from tests.monitoring.factories import LicenseServerFactory

pytestmark = pytest.mark.django_db

SCRIPT = """\
#!{python}
import pathlib, sys, time
here = pathlib.Path(__file__).resolve().parent
with open(here / "calls.log", "a") as log:
    log.write(repr(sys.argv[1:]) + "\\n")
if sys.argv[1:] == ["-v"]:
    print("{name} v11.19.6 build 1 (fake)")
    sys.exit(0)
address = sys.argv[-1]
pause = here / (address + ".sleep")
if pause.exists():
    time.sleep(float(pause.read_text()))
out = here / (address + ".txt")
sys.stdout.write(out.read_text() if out.exists() else "")
sys.stdout.flush()
code = here / (address + ".rc")
sys.exit(int(code.read_text()) if code.exists() else 0)
"""


class FakeTool:
    def __init__(self, folder: Path, name: str = "lmutil") -> None:
        self.folder = folder
        self.path = folder / name
        self.path.write_text(SCRIPT.format(python=sys.executable, name=name))
        self.path.chmod(self.path.stat().st_mode | stat.S_IXUSR)

    def prints(self, address: str, text: str) -> None:
        (self.folder / f"{address}.txt").write_text(text)

    def sleeps(self, address: str, seconds: float) -> None:
        (self.folder / f"{address}.sleep").write_text(str(seconds))

    def exits(self, address: str, code: int) -> None:
        (self.folder / f"{address}.rc").write_text(str(code))

    def calls(self) -> list[str]:
        log = self.folder / "calls.log"
        return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def fake_lmutil(tmp_path) -> FakeTool:
    """A fake ``lmutil`` configured as the FlexNet tool (and ``rlmutil`` as the RLM one)."""
    tool = FakeTool(tmp_path)
    rlm = FakeTool(tmp_path, "rlmutil")
    config.update(TOOLS, {"lmutil_path": str(tool.path), "rlmutil_path": str(rlm.path)})
    return tool


UP_TEXT = """\
lmutil - Copyright (c) 1989-2024 Flexera. All Rights Reserved.
Flexible License Manager status on Tue 12/1/2026 9:30

License server status: 27000@lic1
lic1: license server UP (MASTER) v11.19.6

Vendor daemon status (on lic1):

  MLM: UP v11.19.6

Feature usage info:

Users of MATLAB:  (Total of 10 licenses issued;  Total of 1 license in use)

  "MATLAB" v43, vendor: MLM, expiry: 31-dec-2027
  floating license

    alice ws1 ws1 (v43) (lic1/27000 101), start Tue 12/1 8:05

"""


def test_flexnet_tool_is_called_with_lmstat_arguments_for_the_address(fake_lmutil):
    server = LicenseServerFactory(address="27000@lic1")
    fake_lmutil.prints("27000@lic1", UP_TEXT)
    text = run_status_tool(server, timeout=10)
    assert parse_lmstat(text.splitlines()).feature("MATLAB").checkouts[0].user == "alice"
    assert fake_lmutil.calls() == ["['lmstat', '-a', '-c', '27000@lic1']"]


def test_rlm_tool_is_called_with_rlmstat_arguments(fake_lmutil, tmp_path):
    server = LicenseServerFactory(kind="rlm", address="5053@rlm1")
    (tmp_path / "5053@rlm1.txt").write_text("rlmutil v15.1\n")
    run_status_tool(server, timeout=10)
    assert fake_lmutil.calls() == ["['rlmstat', '-a', '-c', '5053@rlm1']"]


def test_an_address_with_shell_characters_reaches_the_tool_as_one_argument(fake_lmutil, tmp_path):
    address = "27000@lic1;touch pwned"
    server = LicenseServerFactory(address=address)
    fake_lmutil.prints(address, UP_TEXT)
    run_status_tool(server, timeout=10)
    assert fake_lmutil.calls() == [repr(["lmstat", "-a", "-c", address])]
    assert not (tmp_path / "pwned").exists()
    assert not Path("pwned").exists()


def test_a_tool_sleeping_past_the_timeout_is_killed_and_reported(fake_lmutil):
    server = LicenseServerFactory(address="27000@slow")
    fake_lmutil.prints("27000@slow", UP_TEXT)
    fake_lmutil.sleeps("27000@slow", 30)
    with pytest.raises(ToolError, match=r"timed out after 0\.5 s") as caught:
        run_status_tool(server, timeout=0.5)
    assert caught.value.reason == "timeout"


def test_missing_and_non_executable_tools_are_clear_errors(fake_lmutil, tmp_path):
    server = LicenseServerFactory()
    config.update(TOOLS, {"lmutil_path": str(tmp_path / "absent")})
    with pytest.raises(ToolError, match="does not exist") as caught:
        run_status_tool(server, timeout=5)
    assert caught.value.reason == "not_found"
    plain = tmp_path / "plain"
    plain.write_text("not a program")
    config.update(TOOLS, {"lmutil_path": str(plain)})
    with pytest.raises(ToolError, match="not executable") as caught:
        run_status_tool(server, timeout=5)
    assert caught.value.reason == "not_executable"
    config.update(TOOLS, {"lmutil_path": "no-such-lmutil-anywhere"})
    with pytest.raises(ToolError, match="not found on PATH"):
        run_status_tool(server, timeout=5)


def test_non_zero_exit_with_a_server_error_still_returns_the_text(fake_lmutil, corpus_dir):
    server = LicenseServerFactory(address="27000@down")
    down = (corpus_dir / "lmstat-a" / "ThomasWagnerJKU__check_flexlm__down_a.txt").read_text()
    fake_lmutil.prints("27000@down", down)
    fake_lmutil.exits("27000@down", 1)
    assert parse_lmstat(run_status_tool(server, timeout=10).splitlines()).is_up is False


def test_non_zero_exit_without_usable_output_is_an_error(fake_lmutil):
    server = LicenseServerFactory(address="27000@broken")
    fake_lmutil.exits("27000@broken", 3)
    with pytest.raises(ToolError, match="exited with status 3") as caught:
        run_status_tool(server, timeout=10)
    assert caught.value.reason == "failed"


def test_a_tool_killed_by_a_signal_is_an_error_even_with_partial_output(fake_lmutil):
    server = LicenseServerFactory(address="27000@killed")
    fake_lmutil.prints("27000@killed", UP_TEXT)
    fake_lmutil.exits("27000@killed", -9)
    script = fake_lmutil.path.read_text().replace(
        "sys.exit(int(code.read_text()) if code.exists() else 0)",
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL) if code.exists() else None",
    )
    fake_lmutil.path.write_text(script)
    with pytest.raises(ToolError, match="killed by SIGKILL") as caught:
        run_status_tool(server, timeout=10)
    assert caught.value.reason == "killed"


def test_validate_tool_reports_version_of_a_working_tool(fake_lmutil):
    result = validate_tool(str(fake_lmutil.path))
    assert result == {
        "path": str(fake_lmutil.path),
        "resolved": str(fake_lmutil.path),
        "exists": True,
        "executable": True,
        "version": "lmutil v11.19.6 build 1 (fake)",
        "ok": True,
        "error": None,
    }
    assert fake_lmutil.calls() == ["['-v']"]


def test_validate_tool_explains_what_is_wrong(tmp_path):
    assert validate_tool(str(tmp_path / "absent"))["exists"] is False
    plain = tmp_path / "plain"
    plain.write_text("data")
    result = validate_tool(str(plain))
    assert (result["exists"], result["executable"], result["ok"]) == (True, False, False)
    assert "not executable" in result["error"]
    assert validate_tool("")["error"] == "Not a path or a program name"


def test_validate_tool_never_uses_a_shell(tmp_path):
    marker = tmp_path / "pwned"
    result = validate_tool(f"true; touch {marker}")
    assert result["ok"] is False
    assert not marker.exists()


def test_validate_tool_refuses_a_program_that_neither_succeeds_nor_prints(tmp_path):
    silent = tmp_path / "silent"
    silent.write_text(textwrap.dedent(f"#!{sys.executable}\nimport sys\nsys.exit(2)\n"))
    silent.chmod(0o755)
    result = validate_tool(str(silent))
    assert result["ok"] is False
    assert "exited with status 2" in result["error"]


def test_every_registered_kind_has_a_parser_and_a_configured_tool():
    assert set(TOOL_KINDS) >= {"flexlm", "rlm"}
    for tool in TOOL_KINDS.values():
        assert callable(tool.parser)
        assert tool.config_key in config.sections()[TOOLS].defaults
