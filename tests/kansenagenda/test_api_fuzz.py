"""Every operation of the API, fuzzed from its own OpenAPI schema (schemathesis).

Each operation gets requests that fit its schema and requests that do not,
sent as each role of the demo (an API key per person) and without one, with
ids of real objects in the path (the demo's agendas, decisions, assignments...)
as well as made-up ones. Every answer must be no server error (5xx) and must
match what the schema says of that status code. Writes are fuzzed too: each
request runs in a savepoint that is rolled back, so every example starts from
the same demo data and the run is repeatable (a fixed seed).

The whole run is kept to about three minutes on a 2-core machine by
``EXAMPLES_PER_OPERATION``; a failure lists every operation that failed, with
a curl command that reproduces it.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core import signals
from django.core.exceptions import FieldDoesNotExist
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework import serializers
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.demo import DEMO_PASSWORD
from activity.models import Notification
from agendas.models import Agenda, Measure, Priority
from coalitions.models import Coalition, Organisation
from funding.models import Amendment, Decision, Programme, ProgressReport, Tranche
from goals.models import Goal
from kansenagenda.demo import USERS, load_demo
from regions.models import Dataset, Indicator, IndicatorValue, Region, Theme
from reviews.models import Assignment, Question, ReviewRound, Submission
from signals.models import Ministry, Signal

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Examples per operation and generation mode (valid and invalid input): 85 operations x 2 modes.
EXAMPLES_PER_OPERATION = 15
CHECKS = [not_a_server_error, response_schema_conformance]

# Every demo person: each coalition role, reviewers, the chair, officials, the administrators.
ROLES = [username for username, *_ in USERS]

APPS = {
    "accounts",
    "activity",
    "agendas",
    "coalitions",
    "core",
    "funding",
    "goals",
    "invitations",
    "regions",
    "reviews",
    "signals",
}


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True  # the demo refuses to make people with a known password otherwise
    load_demo()
    settings.DEBUG = False  # the fuzzing itself runs in production mode, like the rest of the suite


class KeepConnection:
    """Django as a WSGI application that works in the test's transaction.

    As with Django's test client, a request must not close the database
    connection (close_old_connections would, inside a transaction), so the
    answer is read and closed here, with that signal handler off.
    """

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return [body]


@pytest.fixture
def app():
    return KeepConnection()


@pytest.fixture
def tokens(demo, client):
    """An API key for every demo person, asked for as a client does (POST /api/v1/auth/token/)."""
    found = {}
    for username in ROLES:
        response = client.post(
            "/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD}, content_type="application/json"
        )
        assert response.status_code == 200, (username, response.content)
        found[username] = response.json()["token"]
    return found


def real_ids(tokens, client) -> dict[str, list]:
    """Values of real objects for each path's parameter, by the path's first segment."""

    def ids(queryset, field="pk", n=4):
        return list(queryset.order_by(field).values_list(field, flat=True)[:n])

    prefixes = []
    for username in ROLES[:3]:
        listing = client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {tokens[username]}").json()
        prefixes += [row["prefix"] for row in listing.get("results", listing)]
    return {
        "agendas": ids(Agenda.objects),
        "priorities": ids(Priority.objects),
        "measures": ids(Measure.objects),
        "amendments": ids(Amendment.objects),
        "assignments": ids(Assignment.objects),
        "questions": ids(Question.objects),
        "decisions": ids(Decision.objects),
        "goals": ids(Goal.objects, n=2),
        "notifications": ids(Notification.objects),
        "organisations": ids(Organisation.objects, n=2),
        "programmes": ids(Programme.objects),
        "progress-reports": ids(ProgressReport.objects),
        "rounds": ids(ReviewRound.objects),
        "submissions": ids(Submission.objects),
        "tranches": ids(Tranche.objects),
        "datasets": ids(Dataset.objects, n=2),
        "values": ids(IndicatorValue.objects, n=2),
        "coalitions": ids(Coalition.objects, "slug"),
        "indicators": ids(Indicator.objects, "code", n=2),
        "regions": ids(Region.objects.filter(code__startswith="GM"), "code", n=2) + ["CR01", "NL00"],
        "themes": ids(Theme.objects, "code", n=2),
        "auth": prefixes,
        "signals": ids(Signal.objects),
        "ministries": ids(Ministry.objects),
    }


def strategy_for(operation, known: dict[str, list]):
    """Cases with the ids of real objects in the path, and cases with made-up ones."""
    made_up = st.one_of(
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
    )
    parameters = [p.name for p in operation.path_parameters]
    values = known.get(operation.path.removeprefix("/api/v1/").split("/")[0], [])
    if not parameters or not values:
        return made_up
    real = st.sampled_from(values).flatmap(lambda value: operation.as_strategy(path_parameters={parameters[0]: value}))
    return st.one_of(real, real, made_up)


def string_slots(value) -> list[tuple]:
    """(container, key) of every string in a body, query or path parameters, however deep."""
    pending, slots = [value], []
    while pending:
        item = pending.pop()
        pairs = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else ()
        for key, child in pairs:
            if isinstance(child, str):
                slots.append((item, key))
            else:
                pending.append(child)
    return slots


# Body and query fields that name an object, and the path segment whose real values they take.
REFERENCES = {
    "agenda": "agendas",
    "priority": "priorities",
    "measure": "measures",
    "decision": "decisions",
    "submission": "submissions",
    "assignment": "assignments",
    "round": "rounds",
    "programme": "programmes",
    "coalition": "coalitions",
    "indicator": "indicators",
    "organisation": "organisations",
    "lead_partner": "organisations",
    "lead_organisation": "organisations",
    "region": "regions",
    "goal": "goals",
    "ministry": "ministries",
    "forward_to": "ministries",
}


def use_real_references(case, known: dict[str, list], pick: int) -> None:
    """Real objects in the fields that name one, however deep: else nearly every write stops at a 404 or 400."""
    pending = [case.body, case.query]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                values = known.get(REFERENCES.get(key, ""))
                if values and not isinstance(child, dict | list):
                    item[key] = values[pick % len(values)]
                else:
                    pending.append(child)
        elif isinstance(item, list):
            pending.extend(item)


def add_nul_characters(case) -> None:
    """A NUL in every string the case sends.

    Generation from the schema seldom puts one into the very field that is looked
    up in the database (a slug, a code), which PostgreSQL answers with an error.
    """
    for container, key in string_slots([case.body, case.query, case.path_parameters]):
        container[key] += "\x00"


def fuzz(operation, strategy, app, tokens, known) -> None:
    # Hypothesis tries the first choices most: the people first, no key (anonymous) last.
    identities = st.sampled_from([*ROLES, None])

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy, username=identities, pick=st.integers(-1, 3), with_nul=st.booleans())
    def run(case, username, pick, with_nul):
        if pick >= 0:
            use_real_references(case, known, pick)
        if with_nul:
            add_nul_characters(case)
        # The WSGI test client does not undo gzip (core.compression): ask for bodies as they are.
        headers = {"Accept-Encoding": "identity"}
        if username:
            headers["Authorization"] = f"Token {tokens[username]}"
        with transaction.atomic():
            response = case.call(app=app, headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


def test_no_operation_answers_a_server_error_or_off_its_schema(app, tokens, client):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
    known = real_ids(tokens, client)
    failures, timings = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        started = time.monotonic()
        try:
            fuzz(operation, strategy_for(operation, known), app, tokens, known)
        except (Exception, BaseExceptionGroup) as failure:  # every failing operation is reported, not only the first
            failures.append(f"=== {operation.label}\n{failure}")
        timings.append((time.monotonic() - started, operation.label))
    slowest = ", ".join(f"{label} {seconds:.1f}s" for seconds, label in sorted(timings, reverse=True)[:5])
    assert not failures, f"{len(failures)} of {len(timings)} operations failed (slowest: {slowest})\n\n" + "\n\n".join(
        failures
    )


def model_serializers():
    from kansenagenda import urls  # noqa: F401  (imports every API, so every serializer is defined)

    pending, found = [serializers.ModelSerializer], []
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in APPS:
                found.append(subclass)
    return found


def test_a_read_only_field_over_a_nullable_relation_is_nullable_in_the_schema():
    """What the fuzzer finds only when the data has the null: a field declared by hand
    (``SlugRelatedField(read_only=True)``) over a nullable foreign key must say ``allow_null``,
    or the schema promises a string where the answer has null."""
    missing = []
    for serializer_class in model_serializers():
        for name, field in serializer_class().fields.items():
            if not field.read_only or field.allow_null or field.source == "*":
                continue
            model = serializer_class.Meta.model
            for attr in field.source_attrs:
                try:
                    model_field = model._meta.get_field(attr)
                except (FieldDoesNotExist, AttributeError):
                    break
                if model_field.concrete and model_field.null:
                    missing.append(f"{serializer_class.__module__}.{serializer_class.__name__}.{name}")
                    break
                model = model_field.related_model
                if model is None:
                    break
    assert missing == []
