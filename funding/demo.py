"""Demo data of funding (local default only, called by ``kansenagenda.demo.load_demo``).

A programme with invented envelopes, an example ministry and an invented legal
basis (all labelled as demo), and mandates and functions for the two demo
officials: ``rijksambtenaar`` proposes, ``rijksambtenaar2`` (higher
mandate) approves after confirming with a one-time code (``manage.py
demo_totp`` prints the demo keys).

So that the public pages show a decision from the start, the advised demo
agenda of Zeeuws-Vlaanderen (``reviews.demo.load_advised_demo``) gets an
approved decision with a tranche per year, through the same services as in
the app. Its letter is made by the Celery worker after the demo commits.
"""

from __future__ import annotations

from accounts.models import User
from funding import services
from funding.models import Decision, Mandate, OfficialFunction, Programme
from reviews.demo import load_advised_demo
from reviews.models import Submission

PROGRAMME_NAME = "Kansenagenda's 2027–2036 (demo)"
# What the demo letters say. The ministry is a real one, named as an example; the regulation is invented,
# and both say so, like everything else in the demo.
PROGRAMME_TEXTS = {
    "ministry": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties (voorbeeld in de demo)",
    "ministry_en": "Ministry of the Interior and Kingdom Relations (example in the demo)",
    "legal_basis": "Artikel 3 van de Regeling Kansenagenda's brede welvaart 2027–2036 "
    "(demo: een verzonnen regeling, alleen als voorbeeld).",
    "legal_basis_en": "Article 3 of the Regulation on Broad-Welfare Opportunity Agendas 2027–2036 "
    "(demo: an invented regulation, for example only).",
}
FUNCTIONS = {
    "rijksambtenaar": (
        "Beleidsmedewerker regionale ontwikkeling (demo)",
        "Policy officer, regional development (demo)",
    ),
    "rijksambtenaar2": ("Directeur Regionale Brede Welvaart (demo)", "Director of Regional Broad Welfare (demo)"),
}


def load_funding_demo(*, admin: User) -> None:
    proposer = User.objects.get(username="rijksambtenaar")
    approver = User.objects.get(username="rijksambtenaar2")
    programme = Programme.objects.filter(name=PROGRAMME_NAME).first() or services.programme_create(
        actor=proposer,
        name=PROGRAMME_NAME,
        description="Voorbeeldprogramma voor de demo: de bedragen zijn verzonnen.",
        start_year=2027,
        end_year=2036,
        envelopes=dict.fromkeys(range(2027, 2037), 40_000_000),
        min_cofinancing_percent=50,
        reserved_percent=30,
        lagging_min_themes=4,
    )
    if not programme.ministry:
        services.programme_update(actor=admin, programme_id=programme.pk, **PROGRAMME_TEXTS)
    for user, limit in ((proposer, 5_000_000), (approver, 50_000_000)):
        if not Mandate.objects.filter(user=user).exists():
            services.mandate_set(actor=admin, user=user, limit=limit)
        if not OfficialFunction.objects.filter(user=user).exists():
            function, function_en = FUNCTIONS[user.username]
            services.official_function_set(actor=admin, user=user, function=function, function_en=function_en)

    submission = load_advised_demo(admin=admin)
    if submission is not None and not Decision.objects.filter(submission=submission).exists():
        _approved_decision(submission, programme, proposer=proposer, approver=approver)


def _approved_decision(submission: Submission, programme: Programme, *, proposer: User, approver: User) -> Decision:
    """Award what keeps half of the agenda co-financed (the programme's minimum), spread like the Rijk request."""
    summary = services.submission_budget(submission)
    # The Rijk request per year, as the proposal form starts from it.
    requested = {year: summary.cells[(year, "rijk")] for year in programme.years if summary.cells.get((year, "rijk"))}
    cofinancing = summary.total - summary.rijk_total
    # In hundred thousands: at most what was asked, and no more than keeps the programme's minimum co-financing.
    awarded = min(sum(requested.values()), cofinancing * 100 // programme.min_cofinancing_percent - cofinancing)
    awarded -= awarded % 100_000
    total_requested = sum(requested.values())
    # Whole thousands per year; what rounding leaves goes to the largest year.
    tranches = {year: awarded * amount // total_requested // 1000 * 1000 for year, amount in sorted(requested.items())}
    tranches[max(tranches, key=tranches.get)] += awarded - sum(tranches.values())
    decision = services.decision_propose(
        actor=proposer,
        submission_id=submission.pk,
        programme_id=programme.pk,
        amount_awarded=awarded,
        tranches=tranches,
        difference_explanation=""
        if awarded == summary.rijk_total
        else "Het Rijk financiert de helft van de agenda; de regio en haar partners de andere helft. (demo)",
        conditions="Jaarlijks een voortgangsrapportage over de doelindicatoren van de agenda. (demo)",
    )
    # Loading the demo has no browser session to confirm with a one-time code; the four eyes still hold:
    # another official, within their mandate, approves.
    return services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
