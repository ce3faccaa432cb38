"""Test settings: LiMon's settings with LIMON_TESTING on (development SECRET_KEY allowed,
django-q2 runs tasks synchronously) and a separate var/ folder."""

import os
from pathlib import Path

os.environ.setdefault("LIMON_TESTING", "true")
os.environ.setdefault("LIMON_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))

from limon_site.settings import *  # noqa: F403
