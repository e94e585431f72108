"""Security headers: a Content-Security-Policy on the admin and the docs, nosniff everywhere."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs/"])
def test_html_pages_carry_a_content_security_policy(journal, path):
    response = Client(HTTP_HOST="localhost").get(path)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_api_responses_are_never_html_and_never_sniffed(journal):
    response = Client(HTTP_HOST="localhost").get("/api/v1/articles/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
