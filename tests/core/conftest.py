from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
