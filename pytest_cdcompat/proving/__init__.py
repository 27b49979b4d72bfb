"""The proving layer: the one proof loop every kind's engine runs, and the one module that drives hypothesis.

``loop`` runs a kind's rules over its paired places, proves each error with the kind's witness check, downgrades
what is not demonstrated and reports breaks no rule names. ``driver`` is the only module that runs hypothesis
searches; it keeps hypothesis' storage in a user cache folder. Importing this package imports neither hypothesis
nor any kind: the driver imports hypothesis inside its functions, when generation runs.
"""
