"""Schema fuzzing: schemathesis generates valid and invalid requests for every operation of
/api/v1/schema/, anonymously and with a partner key, and checks every response against the
document: no 5xx, only documented status codes, content types, headers and bodies, and every
request the schema calls invalid rejected with a 4xx.

Examples are derandomised (a fixed seed), so a failure reproduces; `FOLIO_FUZZ_EXAMPLES` sets
how many are generated per operation and mode (default 60).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from wagtail.models import Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from api.partners.provisioning import api_key_issue, partner_create
from tests.api.bad_input_support import build_journal_content

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FOLIO_FUZZ_EXAMPLES", "60"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# The WSGI transport hands back bodies as the app wrote them; a real client would undo gzip.
HEADERS = {"Host": "localhost", "Accept-Encoding": "identity"}
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module", autouse=True)
def _connections_stay_open():
    """Requests reach the WSGI app directly, not through Django's test client, so Django's
    own request signals would close the database connection after each one, and with it the
    transaction holding the module's data. The test client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def fuzz_content(django_db_setup, django_db_blocker, _connections_stay_open):
    """A small journal (three articles, two series) and a full-text partner key, built once."""
    with django_db_blocker.unblock(), transaction.atomic():
        with disable_reference_index_auto_update():
            build_journal_content()
        partner = partner_create(name="Fuzz partner", full_text=True, rate_limit="1000000/day")
        key = api_key_issue(partner=partner, name="fuzz")[1]
        yield key
        transaction.set_rollback(True)
    Site.clear_site_root_paths_cache()


# Loaded when the module is collected (pytest-django has set Django up by then); generating
# the document needs no database. (schemathesis' lazy fixture loader does not run on pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.generation.update(modes=["positive", "negative"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_requests_conform(case, fuzz_content):
    case.call_and_validate(headers=HEADERS, checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_partner_requests_conform(case, fuzz_content):
    case.call_and_validate(
        headers={**HEADERS, "Authorization": f"Api-Key {fuzz_content}"}, checks=CHECKS
    )
