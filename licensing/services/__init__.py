"""State changes of the licensing domain, one module per sub-domain. Every function is
keyword-only, runs in a transaction and writes the audit trail (``limon_site.audit``)."""
