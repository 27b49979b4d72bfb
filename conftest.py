"""Test-suite set-up: the pytester plugin and hypothesis profiles, nothing else.

``ci`` (chosen when the CI variable is set) is derandomised so a run reproduces exactly; ``dev`` is the quick local
default. Both keep example counts small: the suite must stay within a few minutes on two cores.
"""

import os

from hypothesis import HealthCheck, settings

pytest_plugins = ["pytester"]

settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
