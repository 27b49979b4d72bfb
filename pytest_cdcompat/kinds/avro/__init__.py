"""Avro: the loader (``avro_loader``), the schema graph (``avro_schema``), resolution pairing (``avro_pairing``), real
round trips (``datums``), the engine (``avro_engine``) and the rules (``rules/``).

The schema graph and pairing import neither fastavro nor hypothesis, so rules can use the pairing types cheaply.
"""
