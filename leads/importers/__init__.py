"""Importing leads from CSV/XLSX: read the file (``reading``), plan against the database
(``planning``), keep the preview server-side (``previews``), apply all or nothing (``applying``).
The file format is described in ``columns`` and docs/leads.md."""

from leads.importers.applying import run_import
from leads.importers.planning import Plan, plan_import
from leads.importers.reading import Sheet, UnreadableFile, read_sheet

__all__ = ["Plan", "Sheet", "UnreadableFile", "plan_import", "read_sheet", "run_import"]
