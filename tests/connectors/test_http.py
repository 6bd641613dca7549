"""The one HTTP layer: status → error class, Retry-After, network failures, and what a message may say."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from assistant import __version__, errors
from assistant.connectors import http as http_module
from assistant.connectors.http import USER_AGENT, Http, check, json_body, timeouts

URL = "https://api.example.com/v1/calendars/primary/events?access_token=tok-SECRET-123"
BODY = "Internal details: event 'Dentist with Anna' token=tok-SECRET-123"


def answering(status: int, headers: dict | None = None, body: str = BODY) -> Http:
    return Http(transport=httpx.MockTransport(lambda request: httpx.Response(status, text=body, headers=headers)))


@pytest.mark.parametrize("status, kind, retryable", [
    (401, errors.AuthError, False),
    (403, errors.PermissionError_, False),
    (404, errors.NotFound, False),
    (410, errors.NotFound, False),
    (409, errors.Conflict, False),
    (412, errors.Conflict, False),
    (400, errors.Rejected, False),
    (422, errors.Rejected, False),
    (429, errors.RateLimited, True),
    (500, errors.Unavailable, True),
    (502, errors.Unavailable, True),
    (503, errors.Unavailable, True),
])
def test_status_becomes_its_error(status, kind, retryable):
    with pytest.raises(kind) as err:
        answering(status).get(URL, "reading events of calendar 'work'")
    assert type(err.value) is kind and err.value.retryable is retryable
    message = str(err.value)
    assert "api.example.com" in message and "reading events of calendar 'work'" in message
    assert f"HTTP {status}" in message
    assert "Dentist" not in message and "SECRET" not in message and "/v1/" not in message and "Internal" not in message


def test_success_and_not_modified_pass():
    assert answering(200).get(URL, "reading").status_code == 200
    assert answering(204, body="").delete(URL, "deleting").status_code == 204
    assert answering(304, body="").get(URL, "reading").status_code == 304


def test_unchecked_request_returns_the_failed_response():
    response = answering(404).get(URL, "reading", checked=False)
    assert response.status_code == 404
    with pytest.raises(errors.NotFound):
        check(response, "reading")


def test_retry_after_in_seconds_and_as_a_date():
    with pytest.raises(errors.RateLimited) as err:
        answering(429, {"Retry-After": "7"}).get(URL, "syncing")
    assert err.value.retryable and err.value.retry_after == 7
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    with pytest.raises(errors.RateLimited) as err:
        answering(429, {"Retry-After": when}).get(URL, "syncing")
    assert 80 <= err.value.retry_after <= 90
    with pytest.raises(errors.Unavailable) as err:
        answering(503, {"Retry-After": "30"}).get(URL, "syncing")
    assert err.value.retryable and err.value.retry_after == 30
    with pytest.raises(errors.RateLimited) as err:
        answering(429).get(URL, "syncing")
    assert err.value.retry_after is None


@pytest.mark.parametrize("failure", [httpx.ConnectError("[Errno 111] Connection refused tok-SECRET-123"),
                                     httpx.ConnectTimeout("timed out"), httpx.ReadTimeout("timed out"),
                                     httpx.RemoteProtocolError("peer closed connection")])
def test_network_failures_are_unavailable_and_retryable(failure):
    def fail(request):
        raise failure

    with pytest.raises(errors.Unavailable) as err:
        Http(transport=httpx.MockTransport(fail)).post(URL, "creating an event", json={"title": "Dentist"})
    assert err.value.retryable
    message = str(err.value)
    assert message.startswith("cannot reach api.example.com while creating an event (")
    assert message.endswith("the server is down or there is no network; will retry")
    assert "SECRET" not in message and "Dentist" not in message


def test_an_untrusted_certificate_is_not_retried_blindly():
    def fail(request):
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")

    with pytest.raises(errors.Unavailable) as err:
        Http(transport=httpx.MockTransport(fail)).get(URL, "reading")
    assert not err.value.retryable and "SSL_CERT_FILE" in str(err.value)


def test_json_helper():
    good = Http(transport=httpx.MockTransport(lambda r: httpx.Response(200, json={"items": [1]})))
    assert json_body(good.get(URL, "listing"), "listing") == {"items": [1]}
    with pytest.raises(errors.BadData) as err:
        json_body(answering(200, body="<html>maintenance</html>").get(URL, "listing"), "listing")
    assert not err.value.retryable and "maintenance" not in str(err.value)


def test_user_agent_timeouts_redirects_and_one_client():
    seen = []

    def handler(request):
        seen.append(request)
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "https://api.example.com/new"})
        return httpx.Response(200, text="ok")

    client = Http(timeout=7, transport=httpx.MockTransport(handler), headers={"Accept": "text/calendar"})
    assert client.get("https://api.example.com/old", "reading").text == "ok"
    assert [r.url.path for r in seen] == ["/old", "/new"]
    assert seen[0].headers["user-agent"] == USER_AGENT == f"assistant/{__version__}"
    assert seen[0].headers["accept"] == "text/calendar"
    assert client.client is client.client
    assert client.client.timeout.read == 7 and client.client.timeout.connect == 7
    assert timeouts(60).connect == 10 and timeouts(60).read == 60
    assert Http.for_section(type("S", (), {"timeout_seconds": 3})()).timeout.read == 3
    client.close()


def test_certificates_from_the_environment(monkeypatch, tmp_path):
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    assert http_module.trust() is True
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    with pytest.raises(errors.ConfigError, match="REQUESTS_CA_BUNDLE"):
        http_module.trust()
    import certifi

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    context = http_module.trust()
    assert context is not True and context.cert_store_stats()["x509_ca"] > 0
