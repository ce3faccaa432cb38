"""State changes of the CRM. API views, panel pages, the importer and the demo seeder all call
these; none of them writes a lead model directly."""

from leads.services.activities import log_activity, record_activity
from leads.services.contacts import (
    add_detail,
    create_contact,
    delete_contact,
    delete_detail,
    update_contact,
    update_detail,
)
from leads.services.conversion import convert_to_customer
from leads.services.institutions import (
    change_status,
    create_institution,
    delete_institution,
    update_institution,
)
from leads.services.notes import add_note, delete_note, edit_note

__all__ = [
    "add_detail",
    "add_note",
    "change_status",
    "convert_to_customer",
    "create_contact",
    "create_institution",
    "delete_contact",
    "delete_detail",
    "delete_institution",
    "delete_note",
    "edit_note",
    "log_activity",
    "record_activity",
    "update_contact",
    "update_detail",
    "update_institution",
]
