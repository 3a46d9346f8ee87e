"""Headers every page carries: the Content-Security-Policy, and no-store on what a signed-in person sees.

The policy allows scripts and style sheets from our own files only; the browser test
tests/browser/test_content_security_policy.py proves the pages keep to it. Anything a request with
a session or an API key gets back may hold a draft or a private record: no browser or proxy may
keep a copy. Public pages for anonymous visitors stay cacheable.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from agendas.models import Agenda
from kansenagenda import views
from kansenagenda.portal import portal_overview
from tests.agendas.factories import make_agenda
from tests.helpers import api_token

pytestmark = pytest.mark.django_db

NO_STORE = {"no-store", "private"}


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


@pytest.fixture
def draft(coalition, alice) -> Agenda:
    return make_agenda(coalition, alice, title="Geheim concept")


# --- Content-Security-Policy ---------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/openbaar/", "/account/login/", "/api/v1/docs/", "/api/v1/regions/"])
def test_every_page_has_the_policy_without_unsafe_inline(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_a_signed_in_page_has_the_policy_too(client, alice, draft):
    client.force_login(alice)
    response = client.get(f"/agendas/{draft.pk}/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_api_docs_load_their_script_and_style_from_urls(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "<style" not in page
    # Every <script> has a src: Swagger UI's start-up script is a URL of its own.
    assert page.count("<script") == page.count("<script src=") == 3
    assert 'src="/api/v1/docs/?script="' in page
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


def test_no_template_has_an_inline_script_style_or_handler():
    """The cheap guard in front of the browser test: templates are where inline code would come back.

    The PDF templates are left out: WeasyPrint reads their <style>, no browser ever gets them.
    """
    pdf_templates = {"export_pdf.html", "letter_base.html"}
    base = Path(settings.BASE_DIR)
    ours = [Path(config.path) for config in apps.get_app_configs()]
    ours = [path for path in ours if path.is_relative_to(base) and not path.is_relative_to(base / ".venv")]
    assert len(ours) >= 10  # every app of the project, none of the packages
    offenders = []
    for template in sorted(p for app in ours for p in app.glob("templates/**/*.html")):
        if template.name in pdf_templates:
            continue
        text = template.read_text()
        lowered = text.lower()
        for needle in ("<style", " style=", "javascript:", " onclick=", " onchange=", " onsubmit=", " oninput="):
            if needle in lowered:
                offenders.append(f"{template.relative_to(base)}: {needle.strip()}")
        # A <script> without src is an inline script (data blocks such as json_script are not used here).
        for tag in lowered.split("<script")[1:]:
            if "src=" not in tag.split(">", 1)[0]:
                offenders.append(f"{template.relative_to(base)}: inline <script>")
    assert offenders == []


# --- Cache-Control: no-store on what a signed-in person sees ---------------------


def test_a_draft_agenda_page_is_not_stored(client, alice, draft):
    client.force_login(alice)
    response = client.get(f"/agendas/{draft.pk}/")
    assert response.status_code == 200
    assert "Geheim concept" in response.content.decode()
    assert cache_control(response) >= NO_STORE
    assert "cookie" in vary(response)


def test_a_private_api_detail_with_an_api_key_is_not_stored(client, alice, draft):
    response = client.get(f"/api/v1/agendas/{draft.pk}/", HTTP_AUTHORIZATION=f"Token {api_token(alice)}")
    assert response.status_code == 200
    assert response.json()["title"] == "Geheim concept"
    assert cache_control(response) >= NO_STORE
    assert "authorization" in vary(response)


def test_a_refused_api_key_answer_is_not_stored_either(client, draft):
    response = client.get(f"/api/v1/agendas/{draft.pk}/", HTTP_AUTHORIZATION="Token not-a-key")
    assert response.status_code == 401
    assert cache_control(response) >= NO_STORE


def test_a_signed_in_person_gets_no_store_on_a_public_page_as_well(client, charlie):
    """What a signed-in person sees on any page includes their name and their notifications."""
    client.force_login(charlie)
    response = client.get("/openbaar/")
    assert response.status_code == 200
    assert cache_control(response) >= NO_STORE


@pytest.mark.parametrize("path", ["/", "/openbaar/", "/api/v1/regions/"])
def test_public_pages_for_anonymous_visitors_stay_cacheable(client, path):
    response = client.get(path)
    assert response.status_code == 200
    # No Cache-Control, or the public cache's "public, no-cache" (revalidated with the ETag; core.public_cache).
    assert not cache_control(response) & NO_STORE


def test_the_home_key_figures_are_still_cached_for_everyone(client, alice, monkeypatch):
    """The key figures are kept per public data version in the server's cache, whoever asked first; the header
    changes nothing there."""
    computed = []

    def counted_overview():
        computed.append(1)
        return portal_overview()

    monkeypatch.setattr(views, "portal_overview", counted_overview)
    client.force_login(alice)
    assert client.get("/").status_code == 200
    client.logout()
    response = client.get("/")
    assert response.status_code == 200
    assert not cache_control(response) & NO_STORE
    assert len(computed) == 1


def test_a_cache_control_the_view_chose_is_kept(client, alice, draft):
    """The exports chose theirs (a snapshot of a draft) before this rule existed; it stays exactly so."""
    client.force_login(alice)
    response = client.get(f"/agendas/{draft.pk}/begroting.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
