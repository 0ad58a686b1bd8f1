"""Settings: DATABASE_URL parsing, the console script's one-line errors, the production profile, locale."""

import datetime as dt
import os
import secrets
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, translation

from mamnon.config.database import database_from_url

MAMNON = shutil.which("mamnon", path=os.path.dirname(sys.executable))


# --- database_from_url -----------------------------------------------------------------------------


def test_no_url_means_sqlite_under_the_given_path(tmp_path):
    target = tmp_path / "var" / "db.sqlite3"
    config = database_from_url(None, default_sqlite_path=target)
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)}
    assert target.parent.is_dir()  # var/ is created so SQLite can open the file
    assert database_from_url("", default_sqlite_path=target)["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_postgres_url(tmp_path, scheme):
    config = database_from_url(f"{scheme}://alice:s3cret@db.example.org:5433/mamnon",
                               default_sqlite_path=tmp_path / "x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "mamnon", "alice", "s3cret", "db.example.org", 5433)
    assert config["OPTIONS"]["connect_timeout"] == 5
    assert not (tmp_path / "x.sqlite3").exists()


def test_sqlite_url(tmp_path):
    config = database_from_url(f"sqlite:///{tmp_path}/other.sqlite3", default_sqlite_path=tmp_path / "x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == f"{tmp_path}/other.sqlite3"


@pytest.mark.parametrize("url", ["mysql://user:pw@host/db", "nonsense", "oracle://x/y", "://x"])
def test_unsupported_urls_raise_a_one_line_error(tmp_path, url):
    with pytest.raises(ImproperlyConfigured) as exc:
        database_from_url(url, default_sqlite_path=tmp_path / "x.sqlite3")
    message = str(exc.value)
    assert "\n" not in message
    assert "DATABASE_URL" in message
    assert "pw" not in message  # a password in the URL is not echoed back


# --- the console script ----------------------------------------------------------------------------


def run_mamnon(*args, tmp_path, **env):
    assert MAMNON, "the mamnon console script is not installed next to the interpreter"
    base = {k: v for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "MAMNON_ENV", "DJANGO_SETTINGS_MODULE"}}
    base["MAMNON_HOME"] = str(tmp_path)  # keep var/ out of the repository
    base.update(env)
    return subprocess.run([MAMNON, *args], capture_output=True, text=True, env=base, timeout=120, cwd=tmp_path)


def one_line(stderr: str) -> str:
    lines = stderr.strip("\n").splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_script_refuses_a_mysql_url(tmp_path):
    result = run_mamnon("check", tmp_path=tmp_path, DATABASE_URL="mysql://x/y")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("mamnon: configuration error")
    assert "mysql" in line
    assert "Traceback" not in result.stdout


def test_script_reports_an_unreachable_database_in_one_line(tmp_path):
    result = run_mamnon("migrate", tmp_path=tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/x")
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("mamnon: cannot reach the database")


def test_production_without_secret_key_is_a_configuration_error(tmp_path):
    result = run_mamnon("check", tmp_path=tmp_path, MAMNON_ENV="production")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("mamnon: configuration error")
    assert "SECRET_KEY" in line


def test_production_refuses_a_pinned_date(tmp_path):
    result = run_mamnon("check", tmp_path=tmp_path, MAMNON_ENV="production", SECRET_KEY=secrets.token_urlsafe(45),
                        ALLOWED_HOSTS="example.org", MAMNON_TODAY="2024-05-16")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("mamnon: configuration error") and "MAMNON_TODAY" in line


def test_unknown_profile_is_a_configuration_error(tmp_path):
    result = run_mamnon("check", tmp_path=tmp_path, MAMNON_ENV="staging")
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("mamnon: configuration error")


def test_production_profile_passes_the_deployment_checks(tmp_path):
    secret = secrets.token_urlsafe(45)
    assert len(secret) == 60
    result = run_mamnon("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
                        MAMNON_ENV="production", SECRET_KEY=secret, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_development_profile_warns_under_deploy_checks(tmp_path):
    """The counterpart of the test above: the deploy checks do look at the settings."""
    result = run_mamnon("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "security.W" in result.stderr + result.stdout


def test_demo_data_is_reachable_with_a_dash(tmp_path):
    result = run_mamnon("demo-data", "--help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--scale" in result.stdout


# --- settings facts --------------------------------------------------------------------------------


def test_locale_settings():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]


def test_argon2_is_the_first_hasher(db):
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    user = get_user_model().objects.create_user(username="hash-test", password="correct horse battery")
    assert user.password.startswith("argon2$argon2id$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("correct horse battery")
    assert not user.check_password("wrong")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_render_day_first_in_every_language(language):
    day = dt.date(2024, 3, 5)
    with translation.override(language):
        assert formats.date_format(day) == "05/03/2024"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "05/03/2024"
        assert formats.date_format(dt.datetime(2024, 3, 5, 14, 7), "SHORT_DATETIME_FORMAT") == "05/03/2024 14:07"
