"""Tests here quote English messages: see tests/english.py."""

from tests.english import client, english  # noqa: F401
