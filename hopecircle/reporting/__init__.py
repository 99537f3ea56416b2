"""Organization reports, one vertical above the services: suppressed figures, their wording, charts and files.

Reporting may import `hopecircle.services` (and reads the store only through their `Context`),
`domain`, `stats`, `analytics`, `i18n`, `themes` and `safety`; no service imports reporting.
"""
