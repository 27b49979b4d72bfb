"""AsyncAPI 2.x and 3.0: the loader (operations -> message channels), the engine (message existence, then JSON
Schema payloads to the schema engine and Avro payloads to the Avro engine) and its rules.
"""
