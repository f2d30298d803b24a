"""Response headers: CSP with a nonce, no framing, HSTS over HTTPS only, caching, links, metrics."""

from __future__ import annotations

import re
import stat

from adapters.config import load_security


def csp(response) -> dict[str, str]:
    parts = (
        p.strip().split(" ", 1) for p in response.headers["Content-Security-Policy"].split(";")
    )
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts if p[0]}


def test_every_page_has_a_csp_whose_nonce_is_on_gov_uk_frontends_inline_script(pages):
    response = pages.get("/")
    policy = csp(response)
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    assert f'<script nonce="{nonce}">document.body.className' in response.text
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert (
        pages.get("/").headers["Content-Security-Policy"]
        != response.headers["Content-Security-Policy"]
    )  # a new nonce for every request


def test_pages_refuse_framing_and_sniffing_and_keep_referrers_on_the_site(pages):
    response = pages.get("/sign-in")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_hsts_is_sent_over_https_only(pages):
    assert "Strict-Transport-Security" not in pages.get("/").headers
    secure = pages.client.get("/", base_url="https://ledger.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31556926")


def test_signed_in_pages_are_never_stored_while_public_pages_and_assets_may_be(pages):
    assert "no-store" not in pages.get("/").headers.get("Cache-Control", "")
    assert pages.get("/sign-in").headers["Cache-Control"] == "no-store"  # its CSRF token
    pages.sign_in("inspector")
    for path in ("/work", "/account", "/"):
        assert "no-store" in pages.get(path).headers["Cache-Control"], path
    asset = pages.get("/static/init.js")
    assert "no-store" not in asset.headers.get("Cache-Control", "")


def test_every_api_answer_is_never_stored(pages):
    token = pages.app.extensions["api_tokens"].create("aud.itor")[1]
    ok = pages.client.get("/api/v1/ratings", headers={"Authorization": f"Bearer {token}"})
    refused = pages.get("/api/v1/ratings")
    assert ok.status_code == 200 and refused.status_code == 401
    assert ok.headers["Cache-Control"] == "private, no-store"
    assert refused.headers["Cache-Control"] == "no-store"


def test_the_next_page_link_ignores_the_host_header(pages):
    token = pages.app.extensions["api_tokens"].create("aud.itor")[1]
    headers = {"Authorization": f"Bearer {token}", "Host": "evil.example"}
    response = pages.client.get("/api/v1/councils?limit=1", headers=headers)
    assert response.headers["Link"].startswith("</api/v1/councils?")
    assert "evil.example" not in response.headers["Link"]


def test_the_next_page_link_uses_the_configured_base_url(story_database, tmp_path):
    import shutil

    from tests.conftest import Clock
    from tests.web.conftest import _close, make_app

    template, _, day = story_database
    shutil.copy(template, tmp_path / "ledger.sqlite")
    settings = load_security({"LEDGER_BASE_URL": "https://ledger.example.gov.uk/"})
    app = make_app(f"sqlite:///{tmp_path / 'ledger.sqlite'}", Clock(day), SECURITY=settings)
    token = app.extensions["api_tokens"].create("aud.itor")[1]
    headers = {"Authorization": f"Bearer {token}", "Host": "evil.example"}
    link = app.test_client().get("/api/v1/councils?limit=1", headers=headers).headers["Link"]
    _close(app)
    assert link.startswith("<https://ledger.example.gov.uk/api/v1/councils?")


def test_metrics_label_an_unknown_method_as_other(pages):
    for n in range(5):
        pages.client.open("/healthz", method=f"M{n}RANDOM")
    text = pages.get("/metrics").text
    assert "M0RANDOM" not in text
    assert 'endpoint="unrouted",method="other",status="405"}' in text


def test_metrics_are_served_only_to_allowed_addresses_or_with_the_token(staff_app):
    settings = load_security(
        {"LEDGER_METRICS_ALLOW": "10.0.0.0/8", "LEDGER_METRICS_TOKEN": "scrape-me"}
    )
    client = staff_app(SECURITY=settings).test_client()

    def scrape(address: str, token: str | None = None) -> int:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.get(
            "/metrics", headers=headers, environ_base={"REMOTE_ADDR": address}
        ).status_code

    assert scrape("10.1.2.3") == 200
    assert scrape("127.0.0.1") == 403 and scrape("203.0.113.5") == 403
    assert scrape("203.0.113.5", "scrape-me") == 200
    assert scrape("10.1.2.3", "wrong") == 403


def test_metrics_by_default_are_served_to_this_machine_only(staff_app):
    client = staff_app().test_client()
    assert client.get("/metrics").status_code == 200
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert outside.status_code == 403


def test_the_secret_key_file_is_readable_by_its_owner_only(tmp_path, monkeypatch):
    import web

    monkeypatch.setattr(web, "DEFAULT_DATABASE_PATH", str(tmp_path / "instance" / "ledger.sqlite"))
    key = web._secret_key()
    path = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(key) == 64
    path.chmod(0o644)  # made by an earlier version
    assert web._secret_key() == key and stat.S_IMODE(path.stat().st_mode) == 0o600
