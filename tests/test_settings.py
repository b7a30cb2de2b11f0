"""Settings from the environment: the search engine, the secret key, production's HTTPS settings."""
import os
import re
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from newsarchive.settings import haystack_connection


def test_a_folder_selects_the_french_whoosh_engine(tmp_path):
    assert haystack_connection(str(tmp_path / "idx")) == {
        "ENGINE": "articles.search.backends.whoosh.engine.FrenchWhooshEngine", "PATH": str(tmp_path / "idx"), "SILENTLY_FAIL": False,
        "INCLUDE_SPELLING": True, "HIGHLIGHT_TAG": "mark",
    }


def test_a_relative_folder_is_made_absolute():
    assert haystack_connection("var/idx")["PATH"] == str(Path("var/idx").resolve())


def test_an_elasticsearch7_url_selects_the_french_elasticsearch_backend():
    assert haystack_connection("elasticsearch7://search.internal:9200/press") == {
        "ENGINE": "articles.search.backends.elasticsearch.engine.FrenchElasticsearch7SearchEngine",
        "URL": "http://search.internal:9200/",
        "INDEX_NAME": "press",
        "SILENTLY_FAIL": False,
        "INCLUDE_SPELLING": True, "HIGHLIGHT_TAG": "mark",
    }


# -- secret key and production settings, each read in a fresh process as a worker would ---------

REPO = Path(__file__).resolve().parent.parent
SERVICE_DATABASE = "postgres://postgres@127.0.0.1:5432/postgres"  # always there: the checks only connect


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**base, **env}, capture_output=True, text=True, timeout=120)


def manage(*args, **env) -> subprocess.CompletedProcess:
    code = f"import sys; sys.argv = ['manage.py', *{list(args)!r}]; exec(open('manage.py').read())"
    return run_python(code, DATABASE_URL=SERVICE_DATABASE, **env)


def test_the_generated_key_file_is_private_and_every_worker_gets_the_same_key(tmp_path):
    var = tmp_path / "var"
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: run_python("from newsarchive import settings; print(settings.SECRET_KEY)",
                                                  NEWSARCHIVE_VAR_DIR=str(var)), range(4)))
    keys = {run.stdout.strip() for run in runs}
    assert len(keys) == 1 and len(keys.pop()) > 50
    assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600
    assert sorted(p.name for p in var.iterdir()) == ["secret_key"]


def test_a_key_file_left_readable_by_others_is_made_private(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 60)
    (tmp_path / "secret_key").chmod(0o644)
    run = run_python("from newsarchive import settings; print(settings.SECRET_KEY)", NEWSARCHIVE_VAR_DIR=str(tmp_path))
    assert run.stdout.strip() == "k" * 60
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_no_secret_key_and_no_writable_var_folder_stops_start_up_with_one_line(tmp_path):
    (tmp_path / "a-file").write_text("")
    var = tmp_path / "a-file" / "var"  # cannot be made, even by root
    run = manage("check", "--tag", "newsarchive", NEWSARCHIVE_VAR_DIR=str(var), SEARCH_URL=str(tmp_path / "index"))
    assert run.returncode == 1
    assert [line for line in run.stderr.splitlines() if "E004" in line] == [
        f"?: (newsarchive.E004) SECRET_KEY is not set and {var} cannot be written to keep a generated one "
        "(Not a directory): set SECRET_KEY, or NEWSARCHIVE_VAR_DIR to a writable folder."]


def production_settings() -> dict[str, str]:
    """Return the variables of the README's production example."""
    readme = (REPO / "README.md").read_text()
    block = re.search(r"<!-- production settings -->\n```sh\n(.*?)```", readme, re.S).group(1)
    return dict(re.findall(r"^(?:export )?([A-Z_]+)=(\S*)", block, re.M))


def test_the_readme_production_settings_pass_check_deploy_cleanly(tmp_path):
    env = {**production_settings(), "SECRET_KEY": "x" * 30 + "-a-long-random-key-for-this-test-only-0123456789",
           "NEWSARCHIVE_VAR_DIR": str(tmp_path), "SEARCH_URL": str(tmp_path / "index")}
    env.pop("DATABASE_URL", None)
    assert {"SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
            "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS"} <= env.keys()
    run = manage("check", "--deploy", "--tag", "security", "--fail-level", "WARNING", **env)
    assert (run.returncode, run.stderr.strip()) == (0, "")
    assert "no issues" in run.stdout
    shown = run_python("from newsarchive import settings as s; print(s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS, s.SECURE_HSTS_SECONDS)",
                       **env)
    assert shown.stdout.strip() == f"('HTTP_X_FORWARDED_PROTO', 'https') {env['CSRF_TRUSTED_ORIGINS'].split(',')} {env['SECURE_HSTS_SECONDS']}"


def test_the_development_defaults_say_what_production_needs(tmp_path):
    run = manage("check", "--deploy", "--tag", "security", NEWSARCHIVE_VAR_DIR=str(tmp_path))
    assert sorted(set(re.findall(r"security\.W\d+", run.stderr + run.stdout))) == [
        "security.W004", "security.W008", "security.W012", "security.W016"]


@pytest.mark.parametrize("name, value", [("SECURE_PROXY_SSL_HEADER", "https"), ("SECURE_HSTS_SECONDS", "a year")])
def test_a_malformed_production_setting_is_one_clear_error(tmp_path, name, value):
    run = manage("check", "--tag", "newsarchive", NEWSARCHIVE_VAR_DIR=str(tmp_path), **{name: value})
    assert run.returncode == 1
    assert [line for line in run.stderr.splitlines() if "E004" in line and name in line]
