"""Database contracts: migration discovery, parsing, schema replay and the checks that run against real databases.

Layers, each importing only the ones before it: ``split`` (statement text) -> ``migrations`` (which files, in which
order) -> ``ops`` (sqlglot statements -> schema operations) -> ``tables`` (replay operations into tables) ->
``database`` (throwaway databases) -> ``rows`` (hypothesis rows) -> ``queries`` (the application's statements) ->
``dynamic_check`` (old/new application against old/new schema, and the lost-write check). ``sql_loader`` reads a history, ``sql_engine`` drives the checks, ``rules/`` holds the catalogue's SQL rules.
"""
