"""kinds/jsonschema"""
