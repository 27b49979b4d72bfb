"""JSON Schema (drafts 04 to 2020-12) as a message contract: the loader; comparison by the shared schema engine."""
