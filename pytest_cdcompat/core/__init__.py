"""Core types every layer shares: the model, findings, errors, settings, the two deploy directions and the kind
registry. Imports nothing else of ours, so any layer may use it.
"""
