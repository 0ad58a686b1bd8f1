"""Run a test folder's tests in English: their assertions quote the English messages (msgids).

Vietnamese is the default language, so pages and errors are Vietnamese unless the language cookie says
otherwise; tests/core/test_translations.py checks the Vietnamese side.
"""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"  # every client (test client, DRF's APIClient) without a language cookie
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
