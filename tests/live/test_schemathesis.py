"""Schemathesis with every check against a served process: the document tells the truth.

One gunicorn with production settings serves a small journal committed to the shared test
database; every operation of the document it serves (API, feeds, probes) gets generated
requests (examples, coverage and fuzzing, positive and negative), anonymously and with a
partner key, and every response goes through every check schemathesis has (`--checks all`).

Examples are derandomised (a fixed seed), so a failure reproduces; `FOLIO_LIVE_FUZZ_EXAMPLES`
sets how many are generated per operation and mode (default 60).
"""

import json
import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import connection
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from wagtail.models import Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from api.partners.provisioning import api_key_issue, partner_create
from tests.api.bad_input_support import build_journal_content
from tests.live.conftest import AppServer, http_get

pytestmark = [pytest.mark.services, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FOLIO_LIVE_FUZZ_EXAMPLES", "60"))
SCHEMA_PATH = "/api/v1/schema/?format=json"
HEADERS = {"Host": "localhost"}
# Parameters whose valid values are the server's own signatures over state it keeps: no schema
# can say which of the well-formed values (documented exactly: length, alphabet, pattern) it
# issued, so a well-formed but forged one is rightly a 400.
SIGNED_PARAMETERS = {"cursor", "token"}
# Slug filters name content, as path slugs do; the journal's real slugs, so that positive
# requests use them rather than names of nothing (a 400 by contract: typos are caught).
SLUGS = {"series": "sleep-series", "topic": "mental-health", "author": "ada-lovelace"}
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def signed_values_excused(ctx, response, case):
    """`positive_data_acceptance`, except a 400 that rejects only a signed parameter.

    Narrow on purpose: the request must set a signed parameter, and the server's error must
    name nothing but signed parameters; any other rejection of valid data still fails.
    """
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if response.status_code != 400 or not SIGNED_PARAMETERS & set(case.query or {}):
            raise
        try:
            details = json.loads(response.content)["error"]["details"]
        except (ValueError, KeyError, TypeError):
            raise
        if not details or not set(details) <= SIGNED_PARAMETERS:
            raise
        return None


# The document the served process publishes, built in-process at collection time (its
# generation needs no database; schemathesis' lazy fixture loader does not run on pytest 9);
# `test_the_served_document_is_the_one_fuzzed` pins that it is the one the server serves.
# From the document alone (not the app), so that requests go over HTTP to the served process.
schema = schemathesis.openapi.from_dict(
    schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application()).raw_schema
)
schema.config.generation.update(modes=["positive", "negative"])
schema.config.seed = 17
# A request line over 4,094 bytes is refused by the HTTP server (414), as are oversized headers
# (431): rejections of a request, like the 400s the check expects already.
schema.config.checks.negative_data_rejection.expected_statuses = [
    *schema.config.checks.negative_data_rejection.expected_statuses,
    "414",
    "431",
]


@pytest.fixture(scope="module")
def live(services, django_db_setup, django_db_blocker):
    """The journal and a partner key, committed; one server for the module; cleaned up after."""
    with django_db_blocker.unblock():
        # What the migrations made (the default site, the root page), restored after the flush.
        initial = connection.creation.serialize_db_to_string()
        with disable_reference_index_auto_update():
            build_journal_content()
        partner = partner_create(name="Fuzz partner", full_text=True, rate_limit="1000000/day")
        key = api_key_issue(partner=partner, name="fuzz")[1]
        # Unthrottled: a 429 would only hide what the run is for.
        server = AppServer(
            redis_url=os.environ["REDIS_URL"], extra_env={"API_ANONYMOUS_RATE": ""}
        ).start()
        try:
            yield server, key
        finally:
            server.stop()
            # What a transactional test with serialized_rollback does after it ends.
            # Sequences kept, as Django's own teardown keeps them: the restored rows keep their
            # ids, and a reset sequence would hand those ids out again.
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                inhibit_post_migrate=True,
                reset_sequences=False,
            )
            connection.creation.deserialize_db_from_string(initial)
            Site.clear_site_root_paths_cache()


def call(case, server, headers):
    if case.meta.generation.mode.is_positive and case.query:
        for name, slug in SLUGS.items():
            if name in case.query:
                case.query[name] = slug
    case.call_and_validate(
        base_url=server.base,
        headers=headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[signed_values_excused],
    )


def test_the_served_document_is_the_one_fuzzed(live):
    server, _ = live
    response = http_get(server.base + SCHEMA_PATH, headers=HEADERS)

    assert response.status == 200
    assert json.loads(response.body) == schema.raw_schema


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_requests_conform(case, live):
    call(case, live[0], HEADERS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_partner_requests_conform(case, live):
    server, key = live
    call(case, server, {**HEADERS, "Authorization": f"Api-Key {key}"})
