"""Pure, streaming parsers of license-server output (no Django imports).

``PARSERS`` maps a license-server kind (``LicenseServer.kind``) to the function that reads
its status tool's output into a :class:`~monitoring.parsers.model.StatusReport`. Adding a
license manager means writing one such function and registering it here.
"""

from collections.abc import Callable, Iterable

from monitoring.parsers.lmstat import parse_lmstat, parse_lmstat_i
from monitoring.parsers.model import StatusReport
from monitoring.parsers.rlmstat import parse_rlmstat

StatusParser = Callable[[Iterable[str]], StatusReport]

PARSERS: dict[str, StatusParser] = {"flexlm": parse_lmstat, "rlm": parse_rlmstat}

__all__ = ["PARSERS", "StatusParser", "parse_lmstat", "parse_lmstat_i", "parse_rlmstat"]
