"""The reviewer pool: who may be asked to review, their expertise and their affiliations.

Being in the pool is the REVIEWER group; the expertise (broad-welfare
themes) is a ``ReviewerProfile``; affiliations are ``coalitions.Affiliation``
rows, which the conflict check (``reviews.conflicts``) reads. People join by
an invitation of the kind ``"reviewer"`` (registered here), sent by the review
chair or a platform administrator, with the expertise and affiliations they
declare. Every change is a function below, with its event.

Affiliations are ended, never deleted: an affiliation that ended less than
``conflicts.LOOKBACK`` ago still ties a reviewer to an organisation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from activity import registry as activity_registry
from activity.events import record_event
from activity.registry import EventType
from coalitions.models import Affiliation, Organisation
from core.formatting import in_language
from invitations.registry import InvitationKind, register_kind
from regions.models import Theme
from reviews.models import Assignment, ReviewerProfile, Submission

KIND = "reviewer"
ROLE_TITLE_MAX = 200
THEME_NAMES_KEY = "reviews.pool.theme-names"
# An assignment the reviewer still has to answer or hand in, on a submission still under way (a
# withdrawn or advised one leaves unanswered invitations behind): they stay in the pool while they have one.
OPEN_ASSIGNMENT = (Assignment.Status.INVITED, Assignment.Status.ACCEPTED)


def open_assignments(prefix: str = "") -> Q:
    """The condition of an open assignment, on the assignment (or through ``prefix``, e.g. "review_assignments__")."""
    return Q(**{f"{prefix}status__in": OPEN_ASSIGNMENT, f"{prefix}submission__status__in": Submission.ACTIVE})


# --------------------------------------------------------------- who may


def may_manage_pool(user) -> bool:
    """The review chair runs the pool; a platform administrator may do anything."""
    return has_global_role(user, GlobalRole.REVIEW_CHAIR, GlobalRole.PLATFORM_ADMIN)


def in_pool(user) -> bool:
    # The group itself, not has_global_role: a superuser is not a reviewer by being one.
    return user.is_authenticated and user.groups.filter(name=GlobalRole.REVIEWER).exists()


def _require_manager(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and may_manage_pool(actor)):
        raise PermissionDenied(_("Alleen de voorzitter van de beoordeling beheert de pool."))


def _pool_member(user_id: int, *, lock: bool = False) -> User:
    # of=self: lock the person's row, not the group rows every other pool change reads.
    users = User.objects.select_for_update(of=("self",)) if lock else User.objects
    user = users.filter(pk=user_id, groups__name=GlobalRole.REVIEWER).first()
    if user is None:
        raise ValidationError(_("Deze persoon zit niet in de pool."))
    return user


# --------------------------------------------------------------- validation


def theme_names() -> dict[str, tuple[str, str]]:
    """Theme code → (Dutch, English) name; cached, so describing many invitations costs no queries."""
    names = cache.get(THEME_NAMES_KEY)
    if names is None:
        names = {t.code: (t.name_nl, t.name_en) for t in Theme.objects.order_by("position")}
        cache.set(THEME_NAMES_KEY, names, 600)
    return names


def theme_label(code: str, names: dict[str, tuple[str, str]] | None = None) -> str:
    name = (names or theme_names()).get(code)
    return in_language(*name) if name else code


def validated_expertise(codes: Iterable) -> list[str]:
    """The theme codes, in the themes' order; a ValidationError on ``expertise`` for none or an unknown one."""
    if isinstance(codes, str) or not isinstance(codes, Iterable):
        raise ValidationError({"expertise": _("Kies minstens één thema.")})
    chosen = list(dict.fromkeys(codes))
    if not chosen:
        raise ValidationError({"expertise": _("Kies minstens één thema.")})
    known = list(Theme.objects.order_by("position").values_list("code", flat=True))
    unknown = [str(code) for code in chosen if code not in known]
    if unknown:
        raise ValidationError(
            {
                "expertise": _("Onbekend thema: %(codes)s. Kies uit de thema's van brede welvaart.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return [code for code in known if code in chosen]


def validated_organisations(ids: Iterable) -> list[Organisation]:
    """The organisations of ``ids``; a ValidationError on ``affiliations`` for one that does not exist."""
    if isinstance(ids, str) or not isinstance(ids, Iterable):
        raise ValidationError({"affiliations": _("Kies organisaties uit de lijst.")})
    wanted = list(dict.fromkeys(ids))
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in wanted):
        raise ValidationError({"affiliations": _("Kies organisaties uit de lijst.")})
    found = list(Organisation.objects.filter(pk__in=wanted).order_by("name"))
    if len(found) != len(wanted):
        raise ValidationError({"affiliations": _("Een van de gekozen organisaties bestaat niet (meer).")})
    return found


def _current(affiliations, today: datetime.date) -> list[Affiliation]:
    return [a for a in affiliations if a.end_date is None or a.end_date >= today]


def _set_current_affiliations(user: User, organisations: list[Organisation], today: datetime.date):
    """Start an affiliation (today) with each organisation the person is not yet tied to; end the others today.

    Returns (started, ended) organisation names.
    """
    current = _current(
        Affiliation.objects.select_for_update(of=("self",)).filter(user=user).select_related("organisation"), today
    )
    wanted = {o.pk: o for o in organisations}
    have = {a.organisation_id for a in current}
    started = [o for pk, o in wanted.items() if pk not in have]
    Affiliation.objects.bulk_create(Affiliation(user=user, organisation=o, start_date=today) for o in started)
    ended = []
    for affiliation in current:
        if affiliation.organisation_id not in wanted:
            # Ended, not deleted: the conflict check still reads it for two years.
            affiliation.end_date = max(today, affiliation.start_date)
            affiliation.save(update_fields=["end_date"])
            ended.append(affiliation.organisation.name)
    return [o.name for o in started], ended


def _event(actor: User | None, verb: str, member: User, **data):
    return record_event(actor=actor, verb=verb, target=member, data={"name": member.display_name, **data})


# --------------------------------------------------------------- the invitation kind


def may_invite(actor: User, payload: dict) -> bool:
    return may_manage_pool(actor)


def describe(payload: dict) -> str:
    names = theme_names()
    codes = payload.get("expertise") or []
    # In the themes' order, as everywhere; a code that no longer exists is shown as is.
    ordered = [code for code in names if code in codes] + [c for c in codes if isinstance(c, str) and c not in names]
    expertise = ", ".join(theme_label(code, names) for code in ordered)
    return _("Beoordelaar in de pool (expertise: %(themes)s)") % {"themes": expertise or _("nog niet opgegeven")}


def check(payload: dict, email: str) -> None:
    validated_expertise(payload.get("expertise"))
    validated_organisations(payload.get("affiliations") or [])
    if User.objects.filter(email__iexact=email, groups__name=GlobalRole.REVIEWER).exists():
        raise ValidationError({"email": _("%(email)s zit al in de beoordelaarspool.") % {"email": email}})


def grant(user: User, payload: dict, inviter: User | None) -> None:
    """Accepting: into the pool, with the declared expertise and an affiliation (from today) per organisation."""
    expertise = validated_expertise(payload.get("expertise"))
    organisations = validated_organisations(payload.get("affiliations") or [])
    user.groups.add(Group.objects.get_or_create(name=GlobalRole.REVIEWER)[0])
    user.__dict__.pop("_global_roles", None)
    ReviewerProfile.objects.update_or_create(user=user, defaults={"expertise": expertise})
    today = timezone.localdate()
    have = set(
        Affiliation.objects.filter(user=user, organisation__in=organisations)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("organisation_id", flat=True)
    )
    Affiliation.objects.bulk_create(
        Affiliation(user=user, organisation=o, start_date=today) for o in organisations if o.pk not in have
    )


def register() -> None:
    register_kind(
        InvitationKind(
            key=KIND,
            label=gettext_lazy("Beoordelaar"),
            may_invite=may_invite,
            describe=describe,
            check=check,
            grant=grant,
            manage_url=lambda payload: reverse("reviews:pool"),
        )
    )
    activity_registry.register_event_types(
        EventType(
            "pool.member_updated", gettext_lazy("%(actor)s heeft de gegevens van %(name)s in de pool bijgewerkt.")
        ),
        EventType("pool.member_removed", gettext_lazy("%(actor)s heeft %(name)s uit de beoordelaarspool gehaald.")),
        EventType("pool.expertise_set", gettext_lazy("%(actor)s heeft de eigen expertise bijgewerkt.")),
        EventType(
            "pool.affiliation_added",
            gettext_lazy("%(actor)s heeft vastgelegd dat %(name)s verbonden is aan %(organisation)s."),
        ),
        EventType(
            "pool.affiliation_ended",
            gettext_lazy("%(actor)s heeft de verbondenheid van %(name)s met %(organisation)s beëindigd."),
        ),
    )
    # About people in the pool, never about a draft; the pool page is where they are managed.
    activity_registry.register_family("pool.", link=lambda data: reverse("reviews:pool"), about_drafts=False)


# --------------------------------------------------------------- the chair's changes


def pool_member_update(
    *, actor: User, user_id: int, expertise: list[str], organisation_ids: list[int]
) -> ReviewerProfile:
    """The chair corrects what a pool member declared.

    After: the expertise is ``expertise``; the member is currently affiliated
    with exactly ``organisation_ids`` (new ones start today, dropped ones end
    today and still count for the conflict check); one event.
    """
    _require_manager(actor)
    expertise = validated_expertise(expertise)
    organisations = validated_organisations(organisation_ids)
    with transaction.atomic():
        member = _pool_member(user_id, lock=True)
        profile, _created = ReviewerProfile.objects.update_or_create(user=member, defaults={"expertise": expertise})
        started, ended = _set_current_affiliations(member, organisations, timezone.localdate())
        _event(actor, "pool.member_updated", member, expertise=expertise, started=started, ended=ended)
    return profile


def pool_member_remove(*, actor: User, user_id: int) -> User:
    """Take someone out of the pool; refused while they have an assignment to answer or hand in.

    Their profile and affiliations stay (the conflict check of past reviews,
    and a later invitation starts from them).
    """
    _require_manager(actor)
    with transaction.atomic():
        member = _pool_member(user_id, lock=True)
        open_count = Assignment.objects.filter(open_assignments(), reviewer=member).count()
        if open_count:
            raise ValidationError(
                _(
                    "%(name)s heeft nog %(count)s openstaande beoordeling(en) en blijft daarom in de pool. "
                    "Wacht tot die zijn ingediend of afgewezen, of vraag %(name)s ze af te wijzen."
                )
                % {"name": member.display_name, "count": open_count}
            )
        member.groups.remove(Group.objects.get(name=GlobalRole.REVIEWER))
        member.__dict__.pop("_global_roles", None)
        _event(actor, "pool.member_removed", member)
    return member


# --------------------------------------------------------------- a reviewer's own profile


def _require_member(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and in_pool(actor)):
        raise PermissionDenied(_("Alleen beoordelaars in de pool hebben een beoordelaarsprofiel."))


def expertise_set(*, actor: User, expertise: list[str]) -> ReviewerProfile:
    """A reviewer's own expertise (at least one theme)."""
    _require_member(actor)
    expertise = validated_expertise(expertise)
    with transaction.atomic():
        profile, _created = ReviewerProfile.objects.update_or_create(user=actor, defaults={"expertise": expertise})
        _event(actor, "pool.expertise_set", actor, expertise=expertise)
    return profile


def affiliation_add(
    *,
    actor: User,
    organisation_id: int,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    role_title: str = "",
) -> Affiliation:
    """A reviewer declares a tie to an organisation (current, or past with an end date)."""
    _require_member(actor)
    role_title = (role_title or "").strip()
    errors: dict[str, str] = {}
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        errors["organisation"] = _("Kies een organisatie uit de lijst.")
    if len(role_title) > ROLE_TITLE_MAX:
        errors["role_title"] = _("Hoogstens %(max)s tekens.") % {"max": ROLE_TITLE_MAX}
    if not isinstance(start_date, datetime.date):
        errors["start_date"] = _("Vul de datum in waarop het begon.")
    elif start_date > timezone.localdate():
        errors["start_date"] = _("Deze datum ligt in de toekomst.")
    elif end_date is not None and end_date < start_date:
        errors["end_date"] = _("Het einde ligt vóór het begin.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        affiliation = Affiliation.objects.create(
            user=actor, organisation=organisation, role_title=role_title, start_date=start_date, end_date=end_date
        )
        _event(actor, "pool.affiliation_added", actor, organisation=organisation.name)
    return affiliation


def affiliation_end(*, actor: User, affiliation_id: int, end_date: datetime.date | None = None) -> Affiliation:
    """A reviewer ends one of their own current affiliations (today unless another date is given)."""
    _require_member(actor)
    end_date = end_date or timezone.localdate()
    with transaction.atomic():
        affiliation = (
            Affiliation.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(pk=affiliation_id, user=actor)
            .first()
        )
        if affiliation is None:
            raise PermissionDenied
        if affiliation.end_date is not None and affiliation.end_date < timezone.localdate():
            raise ValidationError(_("Deze verbondenheid is al beëindigd."))
        if end_date < affiliation.start_date:
            raise ValidationError(
                {
                    "end_date": _("Het einde ligt vóór het begin (%(date)s).")
                    % {"date": affiliation.start_date.isoformat()}
                }
            )
        affiliation.end_date = end_date
        affiliation.save(update_fields=["end_date"])
        _event(actor, "pool.affiliation_ended", actor, organisation=affiliation.organisation.name)
    return affiliation
