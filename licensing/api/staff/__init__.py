"""Staff API (seeds 001/003 "Admin Panel API"): admin key, or a staff session with CSRF."""
