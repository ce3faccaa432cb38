"""django-q2 task of the debug-log import (a thin wrapper: the service does the work)."""

import logging

from monitoring.services import log_import

logger = logging.getLogger("limon.monitoring.log_import")


def run_import(log_import_id: int) -> None:
    """Import or resume the batch. A failure is recorded on the batch (state ``failed``,
    ``error``) for the status endpoint, and logged here."""
    try:
        log_import.run_import(log_import_id)
    except Exception:
        logger.exception("log import %s failed", log_import_id)
