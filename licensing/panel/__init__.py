"""Panel pages of the staff side (server-rendered, staff only). Every action calls the same
services as the staff API; lists use the API's FilterSets."""
