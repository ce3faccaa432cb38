"""Panel pages of the CRM (staff only). Thin: forms in, one service or query, a template out."""
