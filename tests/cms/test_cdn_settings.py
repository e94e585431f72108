"""CDN settings: a half-configured edge is named, production refuses it, the check reports it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks

from api.delivery.cdn.checks import cdn_configuration_check
from api.delivery.cdn.config import cdn_configuration_problems

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-settings-test-0123456789",
    "ALLOWED_HOSTS": "folio.example.org",
}
TOKEN = "tok-3c9f1e7a2b-secret"

# The settings as cms/settings/integrations.py reads them from an empty environment.
UNSET = {
    "CDN_BACKEND": "",
    "CDN_VARNISH_URLS": [],
    "CDN_FASTLY_SERVICE_ID": "",
    "CDN_FASTLY_API_TOKEN": "",
    "CDN_FASTLY_API_URL": "https://api.fastly.com",
    "CDN_FASTLY_SOFT_PURGE": False,
    "CDN_CLOUDFLARE_ZONE_ID": "",
    "CDN_CLOUDFLARE_API_TOKEN": "",
    "CDN_CLOUDFLARE_API_URL": "https://api.cloudflare.com/client/v4",
    "CDN_PURGE_TIMEOUT": 10.0,
}
COMPLETE = {
    "varnish": {"CDN_BACKEND": "varnish", "CDN_VARNISH_URLS": ["http://10.0.0.1:6081"]},
    "fastly": {
        "CDN_BACKEND": "fastly",
        "CDN_FASTLY_SERVICE_ID": "svc1",
        "CDN_FASTLY_API_TOKEN": TOKEN,
    },
    "cloudflare": {
        "CDN_BACKEND": "cloudflare",
        "CDN_CLOUDFLARE_ZONE_ID": "zone1",
        "CDN_CLOUDFLARE_API_TOKEN": TOKEN,
    },
}


def problems(**values) -> list[str]:
    return cdn_configuration_problems({**UNSET, **values})


class TestConfigurationProblems:
    def test_no_cdn_is_a_complete_configuration(self):
        assert problems() == []

    @pytest.mark.parametrize("backend", sorted(COMPLETE))
    def test_each_complete_configuration_has_no_problem(self, backend):
        assert problems(**COMPLETE[backend]) == []

    def test_missing_settings_count_as_unset(self):
        assert cdn_configuration_problems({}) == []
        assert cdn_configuration_problems({"CDN_BACKEND": "fastly"}) != []

    def test_an_unknown_backend_is_named_with_the_known_ones(self):
        [problem] = problems(CDN_BACKEND="akamai")

        assert "CDN_BACKEND='akamai'" in problem
        assert "varnish, fastly, cloudflare" in problem

    @pytest.mark.parametrize(
        ("backend", "missing"),
        [
            ("varnish", "CDN_VARNISH_URLS"),
            ("fastly", "CDN_FASTLY_SERVICE_ID"),
            ("fastly", "CDN_FASTLY_API_TOKEN"),
            ("cloudflare", "CDN_CLOUDFLARE_ZONE_ID"),
            ("cloudflare", "CDN_CLOUDFLARE_API_TOKEN"),
        ],
    )
    def test_each_half_configured_backend_names_what_is_missing(self, backend, missing):
        half = {**COMPLETE[backend], missing: UNSET[missing]}

        [problem] = problems(**half)

        assert missing in problem
        assert f"CDN_BACKEND={backend}" in problem

    def test_a_blank_token_is_missing(self):
        [problem] = problems(**{**COMPLETE["fastly"], "CDN_FASTLY_API_TOKEN": "  "})

        assert "CDN_FASTLY_API_TOKEN" in problem

    def test_every_missing_setting_is_named_at_once(self):
        found = problems(CDN_BACKEND="cloudflare")

        assert len(found) == 2
        assert "CDN_CLOUDFLARE_ZONE_ID" in found[0]
        assert "CDN_CLOUDFLARE_API_TOKEN" in found[1]

    @pytest.mark.parametrize(
        "url",
        [
            "10.0.0.1:6081",
            "ftp://10.0.0.1",
            "http://",
            "http://10.0.0.1:6081/purge",
            "http://10.0.0.1:6081/?x=1",
            "http://10.0.0.1:6081#top",
            "http://10.0.0.1:99999",
            "http://10.0.0.1:port",
        ],
    )
    def test_a_varnish_url_that_is_not_scheme_host_and_port_is_named(self, url):
        [problem] = problems(CDN_BACKEND="varnish", CDN_VARNISH_URLS=["http://10.0.0.2", url])

        assert "CDN_VARNISH_URLS" in problem
        assert repr(url) in problem

    @pytest.mark.parametrize(
        "url", ["http://10.0.0.1:6081", "https://varnish.internal/", "http://[::1]:6081"]
    )
    def test_varnish_urls_of_scheme_host_and_port_are_accepted(self, url):
        assert problems(CDN_BACKEND="varnish", CDN_VARNISH_URLS=[url]) == []

    def test_a_password_in_a_varnish_url_is_refused_and_not_repeated(self):
        [problem] = problems(
            CDN_BACKEND="varnish", CDN_VARNISH_URLS=["http://admin:hunter2@10.0.0.1:6081"]
        )

        assert "user name or password" in problem
        assert "hunter2" not in problem

    def test_a_node_listed_twice_is_named(self):
        [problem] = problems(
            CDN_BACKEND="varnish",
            CDN_VARNISH_URLS=["http://10.0.0.1:6081", "http://10.0.0.1:6081/"],
        )

        assert "http://10.0.0.1:6081 more than once" in problem

    @pytest.mark.parametrize("name", ["CDN_FASTLY_API_URL", "CDN_CLOUDFLARE_API_URL"])
    @pytest.mark.parametrize("url", ["api.example.com", "ftp://api.example.com", "https://"])
    def test_an_api_url_that_is_not_http_is_named(self, name, url):
        [problem] = problems(**{name: url})

        assert name in problem

    def test_an_api_url_may_have_a_path(self):
        assert problems(CDN_CLOUDFLARE_API_URL="https://cf.test/client/v4") == []

    @pytest.mark.parametrize("timeout", [0, -1.0, float("nan"), float("inf")])
    def test_the_purge_timeout_must_be_positive_seconds(self, timeout):
        [problem] = problems(CDN_PURGE_TIMEOUT=timeout)

        assert "CDN_PURGE_TIMEOUT" in problem


def start_production(**cdn_env: str) -> subprocess.CompletedProcess:
    """`django.setup()` under the production settings with `cdn_env` as the only CDN settings."""
    clean_env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"} and not name.startswith("CDN_")
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean_env, **PRODUCTION_ENV, **cdn_env},
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestProductionSettings:
    @pytest.mark.parametrize(
        ("env", "named"),
        [
            ({"CDN_BACKEND": "fastly", "CDN_FASTLY_SERVICE_ID": "svc1"}, "CDN_FASTLY_API_TOKEN"),
            (
                {"CDN_BACKEND": "cloudflare", "CDN_CLOUDFLARE_API_TOKEN": TOKEN},
                "CDN_CLOUDFLARE_ZONE_ID",
            ),
            ({"CDN_BACKEND": "varnish"}, "CDN_VARNISH_URLS"),
            ({"CDN_BACKEND": "akamai"}, "CDN_BACKEND"),
        ],
    )
    def test_refuses_to_start_with_a_half_configured_edge(self, env, named):
        result = start_production(**env)

        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert named in result.stderr
        assert TOKEN not in result.stderr

    @pytest.mark.parametrize(
        "env",
        [
            {},
            {"CDN_BACKEND": "fastly", "CDN_FASTLY_SERVICE_ID": "svc1", "CDN_FASTLY_API_TOKEN": "t"},
            {"CDN_BACKEND": "varnish", "CDN_VARNISH_URLS": "http://10.0.0.1:6081,http://[::1]:80"},
        ],
    )
    def test_starts_with_a_complete_configuration(self, env):
        result = start_production(**env)

        assert result.returncode == 0, result.stderr


class TestSystemCheck:
    def test_reports_each_problem_as_an_error(self, settings):
        settings.CDN_BACKEND = "fastly"
        settings.CDN_FASTLY_SERVICE_ID = ""
        settings.CDN_FASTLY_API_TOKEN = ""

        errors = cdn_configuration_check()

        assert [error.id for error in errors] == ["folio.E001", "folio.E001"]
        assert all(error.level == checks.ERROR for error in errors)
        assert "CDN_FASTLY_SERVICE_ID" in errors[0].msg
        assert "CDN_FASTLY_API_TOKEN" in errors[1].msg

    def test_reports_nothing_without_a_cdn(self, settings):
        settings.CDN_BACKEND = ""

        assert cdn_configuration_check() == []

    def test_runs_with_djangos_checks_once_registered(self, settings):
        settings.CDN_BACKEND = "varnish"
        settings.CDN_VARNISH_URLS = []

        found = [message for message in checks.run_checks() if message.id == "folio.E001"]

        assert len(found) == 1
        assert "CDN_VARNISH_URLS" in found[0].msg
