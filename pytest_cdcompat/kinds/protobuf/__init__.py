"""Protobuf support: compiling with protoc (``compile``), the descriptor index and pairing (``pairing``), and real
binary and JSON round trips with the protobuf runtime (``messages``)."""
