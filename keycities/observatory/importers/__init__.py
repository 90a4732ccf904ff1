"""Importers: one module per source format. Each reads a file and yields
validated `Row`s (extract + validate); `keycities.observatory.services`
loads them (load). A reader never writes to the database."""
