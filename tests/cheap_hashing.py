"""Argon2 with tiny cost parameters, for tests that create many users.

The ``world`` fixture creates 16 users; with Django's production Argon2 parameters (100 MiB, 8 lanes) that
costs about three seconds per test. The hasher stays Argon2 (same class, same ``argon2$`` prefix, real
verification); only its cost drops.
"""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    monkeypatch.setattr(Argon2PasswordHasher, "time_cost", 1)
    monkeypatch.setattr(Argon2PasswordHasher, "memory_cost", 64)
    monkeypatch.setattr(Argon2PasswordHasher, "parallelism", 1)
