"""The national picture's map as an SVG image of its own, and the page's long tables a page at a time.

The page (/financiering/landelijk/) shows the map with <img src="kaart.svg?v=<data version>&taal=..&<filters>">:
the file is the same for everyone who asks that URL, so it is kept a year; a new approval gives a new data
version and so a new URL. Only approved decisions count. The tables per municipality and per region come a
page at a time, so the page stays well under 200 KB at national scale (it was 588 KB with the map inline and
every row of both tables).
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import public_cache
from funding import national_views, services
from funding.models import Programme
from funding.national import data_version
from funding.national_data import generate
from regions.models import Theme
from tests.factories import make_coalition, make_user
from tests.funding.factories import advised_submission, make_programme, propose

pytestmark = pytest.mark.django_db

URL = "/financiering/landelijk/"
MAP = "/financiering/landelijk/kaart.svg"


@pytest.fixture(autouse=True)
def _count_the_view(monkeypatch):
    # The public cache (core.public_cache) answers an anonymous repeat in one query: test the views themselves.
    monkeypatch.setattr(public_cache, "enabled", lambda: False)


@pytest.fixture
def programme(proposer):
    return make_programme(proposer, envelope=5_000_000, name="Kansen voor regio's")


@pytest.fixture
def fund(chair, proposer, approver, programme):
    made = []

    def fund(region_code: str, *, approve: bool = True):
        coordinator = make_user(f"coordinator-{len(made)}")
        coalition = make_coalition(coordinator=coordinator, slug=f"coalitie-{len(made)}", region_code=region_code)
        decision = propose(advised_submission(coalition, coordinator, chair), programme, proposer)
        made.append(decision)
        if approve:
            services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
        return decision

    return fund


def map_src(client, query=None) -> str:
    page = client.get(URL, query or {}).content.decode()
    return re.search(r'<img class="nat-map__image" src="([^"]+)"', page).group(1).replace("&amp;", "&")


def current_version() -> str:
    return data_version(Programme.objects.all())


def areas(svg: str) -> dict[str, str]:
    """The class of every municipality on the map, by code."""
    return {code: cls for cls, code in re.findall(r'class="nat-map__area nat-map__area--(\d)" data-code="(\w+)"', svg)}


# --- the map ------------------------------------------------------------------------------------------


def test_the_page_names_its_map_by_data_version_language_and_filters(client, fund):
    fund("CR01")
    assert map_src(client) == f"{MAP}?v={current_version()}&taal=nl"
    theme = Theme.objects.order_by("position").first().code
    assert map_src(client, {"theme": theme}) == f"{MAP}?v={current_version()}&taal=nl&theme={theme}"
    client.cookies["django_language"] = "en"
    assert map_src(client) == f"{MAP}?v={current_version()}&taal=en"


def test_the_map_is_an_svg_image_kept_for_a_year(client, fund):
    fund("CR01")
    response = client.get(map_src(client))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    svg = response.content.decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 ')
    # Every municipality, named in its title; the five of Oost-Groningen funded.
    classes = areas(svg)
    assert len(classes) == 342 and sum(cls != "0" for cls in classes.values()) == 5
    assert svg.count("<title>") == 342 and "Groningen: €\xa0" in svg and "per inwoner" in svg
    # Nothing the page's Content-Security-Policy forbids: colours are presentation attributes.
    assert "style" not in svg and "<script" not in svg
    funded = {cls for cls in classes.values() if cls != "0"}
    assert all(f' fill="{national_views.MAP_FILLS[int(cls)]}"' in svg for cls in funded)
    # In English when the page is.
    english = client.get(map_src(client).replace("taal=nl", "taal=en")).content.decode()
    assert "Map of the Netherlands" in english and "lagging on" in english and "achterstand" not in english


def test_the_map_changes_with_the_data_version(client, fund):
    fund("CR01")
    before_src = map_src(client)
    before = client.get(before_src).content.decode()
    fund("CR15")  # Twente
    after_src = map_src(client)
    assert after_src != before_src and f"v={current_version()}" in after_src
    after = client.get(after_src).content.decode()
    assert sum(cls != "0" for cls in areas(after).values()) > sum(cls != "0" for cls in areas(before).values())
    # The old address is sent on to the current map, and that answer is not kept.
    response = client.get(before_src)
    assert response.status_code == 302 and response["Location"] == after_src
    assert response["Cache-Control"] == "no-cache"


def test_the_map_never_shows_a_proposed_or_rejected_decision(client, fund, approver):
    fund("CR01")
    src = map_src(client)
    svg = client.get(src).content.decode()
    fund("CR15", approve=False)
    rejected = fund("CR02", approve=False)
    services.decision_reject(actor=approver, decision_id=rejected.pk, reason="Nee.")
    # Neither changes the data version, the map's address or the map; not for an official either.
    assert map_src(client) == src
    assert client.get(src).content.decode() == svg
    assert sum(cls != "0" for cls in areas(svg).values()) == 5
    client.force_login(approver)
    assert map_src(client) == src
    assert client.get(src).content.decode() == svg


def test_a_bad_filter_or_language_is_a_400_and_an_old_or_missing_version_a_redirect(client, fund):
    fund("CR01")
    version = current_version()
    for query, field in (
        ({"theme": "bestaat-niet"}, "theme"),
        ({"programme": "abc"}, "programme"),
        ({"programme": "999999"}, "programme"),
        ({"goal": "sdg:999"}, "goal"),
        ({"taal": "xx"}, "taal"),
    ):
        response = client.get(MAP, {"v": version, "taal": "nl", **query})
        assert response.status_code == 400, query
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode().startswith(f"{field}: "), query
    for query in ({}, {"taal": "nl"}, {"v": "0" * 20, "taal": "nl"}, {"v": "<x>"}):
        response = client.get(MAP, query)
        assert response.status_code == 302, query
        assert response["Location"] == f"{MAP}?v={version}&taal=nl"


# --- the page: its tables a page at a time ------------------------------------------------------------


def municipality_codes(page: str) -> list[str]:
    return re.findall(r'data-municipality="(\w+)"', page)


def test_the_table_per_municipality_comes_fifty_at_a_time(client, fund):
    fund("CR01")
    theme = Theme.objects.order_by("position").first().code
    seen = []
    for number in range(1, 8):
        page = client.get(URL, {"gemeente_pagina": number}).content.decode()
        codes = municipality_codes(page)
        assert len(codes) == (42 if number == 7 else 50)
        assert f"Pagina {number} van 7" in page
        seen += codes
    assert len(set(seen)) == 342
    # The pager keeps the filters; past the end is the last page, anything else the first.
    page = client.get(URL, {"theme": theme, "gemeente_pagina": 2}).content.decode()
    assert f'href="?theme={theme}&amp;gemeente_pagina=3#nat-table"' in page
    last = municipality_codes(client.get(URL, {"gemeente_pagina": 7}).content.decode())
    assert municipality_codes(client.get(URL, {"gemeente_pagina": 99}).content.decode()) == last
    first = municipality_codes(client.get(URL).content.decode())
    for junk in ("0", "-1", "abc", "1.5", "²"):
        assert municipality_codes(client.get(URL, {"gemeente_pagina": junk}).content.decode()) == first


def test_the_table_per_region_comes_a_page_at_a_time(client, fund, monkeypatch):
    monkeypatch.setattr(national_views, "REGIONS_PER_PAGE", 1)
    fund("CR01")
    fund("PV20")

    def regions(number) -> list[str]:
        page = client.get(URL, {"regio_pagina": number}).content.decode()
        table = page.split('id="regions-caption"')[1].split("</table>")[0]
        return re.findall(r"<span class=\"ka-muted\">\((\w+)\)</span>", table)

    assert (regions(1), regions(2), regions(3)) == (["PV20"], ["CR01"], ["CR01"])  # by name: Groningen first


def test_the_page_is_well_under_200_kb_at_national_scale(client):
    generate(scale=0.1, seed=7)  # 10 coalitions, 60 approved decisions over 20 years
    page = client.get(URL)
    assert page.status_code == 200
    size = len(page.content)
    print(f"national page: {size} bytes")
    assert size < 150_000
    html = page.content.decode()
    assert "<svg" not in html.split('aria-labelledby="map-heading"')[1].split("</section>")[0]
    assert len(municipality_codes(html)) == 50


# --- queries ------------------------------------------------------------------------------------------


def test_the_page_and_the_map_take_the_same_queries_at_two_sizes(client, fund):
    def counts() -> dict[str, tuple[int, int]]:
        src = map_src(client)
        result = {}
        for url in (URL, f"{URL}?gemeente_pagina=3&regio_pagina=2", src):
            cache.clear()
            with CaptureQueriesContext(connection) as cold:
                assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as warm:
                assert client.get(url).status_code == 200
            result[url.split("?")[0] + ("?paged" if "pagina" in url else "")] = (len(cold), len(warm))
        return result

    fund("CR01")
    small = counts()
    fund("CR15")
    fund("PV20")
    large = counts()
    assert small == large
    # Warm (page and map from their caches): themes and programmes for the filters, the data version.
    assert {warm for _cold, warm in large.values()} == {3}
