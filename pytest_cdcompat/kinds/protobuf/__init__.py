"""Protobuf: the loader (``protobuf_loader``), compiling with protoc (``compile``), the descriptor index and pairing
(``proto_pairing``), real binary and JSON round trips with the protobuf runtime (``messages``), the engine
(``protobuf_engine``) and the rules (``rules/``)."""
