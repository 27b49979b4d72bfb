"""Deploy policy: which deploy directions a contract must keep, given what this repository deploys.

Filled in below; ``POLICIES`` names the accepted values of ``cd_compat_policy``.
"""

from __future__ import annotations

POLICIES = ("ships", "both-directions")
