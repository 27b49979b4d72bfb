"""Avro support: the schema graph (``schema``), resolution pairing (``pairing``) and real round trips (``datums``).

Kept apart from ``loaders/avro.py`` and ``avro_engine.py`` so rules can import the pairing types without pulling in
fastavro or hypothesis.
"""
