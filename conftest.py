"""Test-suite set-up: the pytester plugin, hypothesis profiles and storage folder, nothing else.

``ci`` (chosen when the CI variable is set) is derandomised so a run reproduces exactly; ``dev`` is the quick local
default. Both keep example counts small: the suite must stay within a few minutes on two cores. hypothesis keeps its
files in the user cache folder pytest-cdcompat uses (``proving.driver.cache_dir``), so the suite writes no
``.hypothesis/`` into the repository.
"""

import os

from hypothesis import HealthCheck, settings

import pytest_cdcompat.proving.driver  # noqa: F401  (sets hypothesis' storage folder on import)

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
