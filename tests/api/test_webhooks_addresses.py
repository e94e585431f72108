"""SSRF: webhook URLs must be https and public unless settings allow otherwise (the test settings
do, for the loopback receiver; these tests switch them off)."""

import pytest
from django.core.exceptions import ValidationError

from api.webhooks.addresses import webhook_url_validate


@pytest.fixture
def production_rules(settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


REFUSED = [
    ("https://127.0.0.1/hook", "loopback"),
    ("https://127.1.2.3:8443/hook", "loopback"),
    ("https://localhost/hook", "loopback"),
    ("https://10.0.0.5/hook", "private"),
    ("https://172.16.4.4/hook", "private"),
    ("https://192.168.1.10/hook", "private"),
    ("https://169.254.169.254/latest/meta-data/", "link-local"),
    ("https://0.0.0.0/hook", "unspecified"),
    ("https://224.0.0.1/hook", "multicast"),
    ("https://240.0.0.1/hook", "private"),  # reserved; Python lists 240.0.0.0/4 as private
    ("https://100.64.0.1/hook", "non-public"),
    ("https://[::1]/hook", "loopback"),
    ("https://[::]/hook", "unspecified"),
    ("https://[fe80::1]/hook", "link-local"),
    ("https://[fc00::1]/hook", "private"),
    ("https://[ff02::1]/hook", "multicast"),
    ("https://[::ffff:127.0.0.1]/hook", "loopback"),
    ("https://[::ffff:10.0.0.1]/hook", "private"),
    ("https://[::ffff:169.254.169.254]/hook", "link-local"),
    ("https://[2002:7f00:1::]/hook", "loopback"),  # 6to4 around 127.0.0.1
    ("https://[64:ff9b::a9fe:a9fe]/hook", "link-local"),  # NAT64 around 169.254.169.254
]


@pytest.mark.parametrize(("url", "kind"), REFUSED)
def test_internal_addresses_are_refused(production_rules, url, kind):
    with pytest.raises(ValidationError) as refused:
        webhook_url_validate(url)
    assert f"is a {kind} address" in refused.value.messages[0]


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.215.14/hook",  # public, but plain http
        "ftp://93.184.215.14/hook",
        "https://user:secret@93.184.215.14/hook",
        "https://user@93.184.215.14/hook",
        "https:///hook",
        "https://93.184.215.14:99999/hook",
        "https://93.184.215.14/ho ok",
        "https://no-such-host.invalid/hook",
        "",
    ],
)
def test_malformed_insecure_or_credentialed_urls_are_refused(production_rules, url):
    with pytest.raises(ValidationError):
        webhook_url_validate(url)


def test_a_public_https_address_is_accepted(production_rules):
    webhook_url_validate("https://93.184.215.14/hooks/folio?source=cms")
    webhook_url_validate("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook")


def test_the_settings_allow_http_and_loopback_for_development(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    webhook_url_validate("http://127.0.0.1:8080/hook")
    webhook_url_validate("http://localhost:8080/hook")

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError, match="loopback"):
        webhook_url_validate("http://127.0.0.1:8080/hook")


def test_credentials_are_refused_even_where_private_addresses_are_allowed():
    with pytest.raises(ValidationError, match="credentials"):
        webhook_url_validate("http://user:pw@127.0.0.1:8080/hook")
