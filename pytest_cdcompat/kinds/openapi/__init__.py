"""OpenAPI 2.0/3.0/3.1: the loader (operations -> channels, requests and responses -> flows) and the HTTP rules.
Schemas are compared by the shared schema engine (``kinds/schema``).
"""
