"""The admin's login is rate-limited: repeated failures lock the client address out (429)."""

import pytest
from django.test import Client

PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db


def attempt(address: str, username: str, password: str, **headers) -> int:
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post("/admin/login/", {"username": username, "password": password})
    return response.status_code


def test_the_right_password_logs_in(editor):
    assert attempt("192.0.2.10", "editor", PASSWORD) == 302


def test_ten_failures_lock_the_address_out_even_with_the_right_password(editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 10
    codes = [attempt("192.0.2.20", "editor", f"guess {n}") for n in range(9)]
    assert codes == [200] * 9  # the form again, with an error

    assert attempt("192.0.2.20", "editor", "guess 10") == 429
    assert attempt("192.0.2.20", "editor", PASSWORD) == 429
    # Another address is not affected.
    assert attempt("192.0.2.21", "editor", PASSWORD) == 302


def test_a_forged_forwarded_address_does_not_escape_the_lockout(editor):
    for n in range(10):
        attempt("192.0.2.30", "editor", f"guess {n}", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}")
    assert attempt("192.0.2.30", "editor", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9") == 429
