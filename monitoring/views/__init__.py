"""Staff panel pages for monitoring administration under ``/panel/monitoring/``.

Thin: a form checks the input's shape, one service call makes the change (and audits it),
``monitoring.queries`` supplies what the pages read."""
