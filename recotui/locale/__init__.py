"""French UI catalogs, one module per area (fr_queue, fr_case, fr_forms, ...)."""
