"""Decisions on matches (koppelingen): propose, accept per side, reject, no match, exclude a pair, pin; record the
pairs of a global assignment as proposals.

Every decision appends one line to `Match.note` ("YYYY-MM-DD HH:MM name: action – reason"), so the match carries its
own history without an extra model. Views check permissions; these services check the state.

State rules: a school has at most one active match (also a database constraint) and, through these services, one
open proposal; a company never gets more proposed and active matches in an edition than its capacity.

Concurrency: every decision first locks the school's participation row (SELECT ... FOR UPDATE), so two decisions on
one school run one after the other; a decision that takes a company's place also locks the company's mentor profile,
so two schools cannot both take its last place. Lock order, always by primary key: participations, mentor profiles,
matches -- so concurrent decisions cannot deadlock. (SQLite ignores FOR UPDATE; it runs one write at a time anyway.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Company, Participation

from . import engine
from .features import company_features, school_features
from .models import ExcludedPair, Match, MentorProfile
from .services import ProposedPair, weights_for

if TYPE_CHECKING:
    from partners.models import User

Side = Literal["school", "company"]

#: Participation statuses that come before a match; a later status is never set back to "matched".
_BEFORE_MATCHED = (Participation.Status.REGISTERED, Participation.Status.BASELINE)
#: Matches that take one of the company's places in the edition.
TAKES_A_PLACE = (Match.Status.PROPOSED, Match.Status.ACTIVE)


def log_line(*, by: User | None, action: str, reason: str = "") -> str:
    """One history line: when, who, what and why."""
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    name = (by.get_full_name() or by.email) if by is not None else _("system")
    line = f"{stamp} {name}: {action}"
    reason = " ".join(reason.split())
    return f"{line} – {reason}" if reason else line


def _append(match: Match, line: str) -> None:
    match.note = f"{match.note}\n{line}" if match.note else line


def _required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason."), code="reason_required")
    return reason


def _score_of(*, participation: Participation, company: Company) -> tuple[float | None, dict[str, float]]:
    """The company's current score and parts for the school, or (None, {}) without a mentor profile."""
    companies = company_features(edition=participation.edition)
    rows = {int(c): i for i, c in enumerate(companies.features.ids)}
    if company.pk not in rows:
        return None, {}
    weights, _max_distance = weights_for(edition=participation.edition)
    school = school_features(participation=participation, area_slugs=companies.area_slugs)
    scored = engine.score_all(school, companies.features, weights)
    row = rows[company.pk]
    parts = {part: float(value) for part, value in zip(engine.PARTS, scored.parts[row], strict=True)}
    return float(scored.total[row]), parts


def _lock_participation(participation_id: int) -> Participation:
    """The participation, locked until the end of the transaction: decisions on one school run one at a time."""
    return Participation.objects.select_for_update().get(pk=participation_id)


def _full(company: Company, *, taken: int, capacity: int) -> ValidationError:
    return ValidationError(
        _("%(company)s is full in this edition (%(taken)s of %(capacity)s places taken)."),
        code="full_capacity",
        params={"company": company.name, "taken": taken, "capacity": capacity},
    )


def _no_profile(company: Company) -> ValidationError:
    return ValidationError(
        _("%(company)s has no mentor profile in this edition."), code="no_profile", params={"company": company.name}
    )


def _take_place(*, participation: Participation, company: Company) -> None:
    """Refuse unless the company has a place left in the school's edition (its profile stays locked).

    The school's own open proposal of the company does not count: it holds that place already.
    """
    profile = (
        MentorProfile.objects.select_for_update().filter(company=company, edition_id=participation.edition_id).first()
    )
    if profile is None:
        raise _no_profile(company)
    taken = (
        Match.objects.filter(
            company=company, participation__edition_id=participation.edition_id, status__in=TAKES_A_PLACE
        )
        .exclude(participation=participation, status=Match.Status.PROPOSED)
        .count()
    )
    if taken >= profile.capacity:
        raise _full(company, taken=taken, capacity=profile.capacity)


def _close_open_proposals(
    *, participation: Participation, by: User | None, action: str, keep: int | None = None
) -> None:
    """Reject the school's open proposals (all but `keep`), each with a history line."""
    for open_match in (
        Match.objects.select_for_update()
        .filter(participation=participation, status=Match.Status.PROPOSED)
        .exclude(pk=keep)
        .order_by("pk")
    ):
        open_match.status = Match.Status.REJECTED
        _append(open_match, log_line(by=by, action=action))
        open_match.save(update_fields=["status", "note", "updated_at"])


def _refuse_if_matched(participation: Participation) -> None:
    if Match.objects.filter(participation=participation, status=Match.Status.ACTIVE).exists():
        raise ValidationError(_("This school already has an active mentor company."), code="already_matched")


@transaction.atomic
def match_propose(*, participation: Participation, company: Company, by: User | None, note: str = "") -> Match:
    """Propose a mentor company to a school; returns the open proposal.

    Proposing the company of the school's open proposal again keeps that proposal, with the acceptances it has, and
    adds the note to its history. An open proposal of another company is rejected as superseded. Refused when the
    school has an active match, the pair is excluded, or the company has no place left in the edition.
    """
    participation = _lock_participation(participation.pk)
    _refuse_if_matched(participation)
    if ExcludedPair.objects.filter(participation=participation, company=company).exists():
        raise ValidationError(_("This company is excluded for this school."), code="excluded_pair")
    same = (
        Match.objects.select_for_update()
        .filter(participation=participation, company=company, status=Match.Status.PROPOSED)
        .order_by("pk")
        .first()
    )
    if same is not None:
        _append(same, log_line(by=by, action=_("proposed %(company)s again") % {"company": company.name}, reason=note))
        same.save(update_fields=["note", "updated_at"])
        return same
    _take_place(participation=participation, company=company)
    _close_open_proposals(participation=participation, by=by, action=_("superseded by a new proposal"))
    score, parts = _score_of(participation=participation, company=company)
    match = Match(participation=participation, company=company, score=score, parts=parts, decided_by=by)
    _append(match, log_line(by=by, action=_("proposed %(company)s") % {"company": company.name}, reason=note))
    match.save()
    return match


@transaction.atomic
def match_accept(*, match: Match, by: User | None, side: Side) -> Match:
    """Accept one side of a proposed match; when both sides accepted, the match is active and the school matched.

    Refused when the school has another active match. When the match becomes active, the school's other open
    proposals are closed (each with a history line).
    """
    participation = _lock_participation(match.participation_id)
    match = Match.objects.select_for_update().get(pk=match.pk)
    match.participation = participation
    if match.status not in (Match.Status.PROPOSED, Match.Status.ACTIVE):
        raise ValidationError(_("Only a proposed match can be accepted."), code="not_proposed")
    field = {"school": "school_accepted_at", "company": "company_accepted_at"}[side]
    if getattr(match, field) is not None:
        return match  # accepting twice changes nothing
    if Match.objects.filter(participation=participation, status=Match.Status.ACTIVE).exclude(pk=match.pk).exists():
        raise ValidationError(_("This school already has an active mentor company."), code="already_matched")
    setattr(match, field, timezone.now())
    label = _("accepted for the school") if side == "school" else _("accepted for the company")
    _append(match, log_line(by=by, action=label))
    if match.school_accepted_at and match.company_accepted_at:
        match.status = Match.Status.ACTIVE
        _append(match, log_line(by=by, action=_("match active")))
        _close_open_proposals(
            participation=participation, by=by, action=_("closed: another match is active"), keep=match.pk
        )
        if participation.status in _BEFORE_MATCHED:
            participation.status = Participation.Status.MATCHED
            participation.save(update_fields=["status"])
    match.save()
    return match


@transaction.atomic
def match_reject(*, match: Match, by: User | None, reason: str) -> Match:
    """Reject a proposed match, with the reason."""
    reason = _required(reason)
    _lock_participation(match.participation_id)
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(_("Only a proposed match can be rejected."), code="not_proposed")
    match.status = Match.Status.REJECTED
    match.decided_by = by
    _append(match, log_line(by=by, action=_("rejected"), reason=reason))
    match.save()
    return match


@transaction.atomic
def match_no_match(*, participation: Participation, by: User | None, reason: str) -> Match:
    """Record that no suitable mentor company was found for the school (open proposals are closed)."""
    reason = _required(reason)
    participation = _lock_participation(participation.pk)
    _refuse_if_matched(participation)
    _close_open_proposals(participation=participation, by=by, action=_("closed: no match"))
    match = Match(participation=participation, company=None, status=Match.Status.NO_MATCH, decided_by=by)
    _append(match, log_line(by=by, action=_("no match"), reason=reason))
    match.save()
    return match


@transaction.atomic
def pair_exclude(*, participation: Participation, company: Company, by: User | None, reason: str) -> ExcludedPair:
    """Rule a company out for a school; an open proposal of that pair is rejected with the same reason."""
    reason = _required(reason)
    participation = _lock_participation(participation.pk)
    if Match.objects.filter(participation=participation, company=company, status=Match.Status.ACTIVE).exists():
        raise ValidationError(_("This company is the school's active mentor."), code="already_matched")
    pair, _created = ExcludedPair.objects.update_or_create(
        participation=participation, company=company, defaults={"reason": reason[:300], "created_by": by}
    )
    for open_match in Match.objects.select_for_update().filter(
        participation=participation, company=company, status=Match.Status.PROPOSED
    ):
        open_match.status = Match.Status.REJECTED
        open_match.decided_by = by
        _append(open_match, log_line(by=by, action=_("excluded"), reason=reason))
        open_match.save()
    return pair


@transaction.atomic
def match_pin(*, match: Match, by: User | None, pinned: bool) -> Match:
    """Pin a proposed match, so the global assignment keeps the pair, or unpin it. Pinning twice changes nothing."""
    _lock_participation(match.participation_id)
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(_("Only a proposed match can be pinned or unpinned."), code="not_proposed")
    if match.pinned == pinned:
        return match
    match.pinned = pinned
    _append(match, log_line(by=by, action=_("pinned") if pinned else _("unpinned")))
    match.save(update_fields=["pinned", "note", "updated_at"])
    return match


@transaction.atomic
def assignment_accept(*, pairs: Sequence[ProposedPair], by: User | None) -> list[Match]:
    """Record pairs of a global assignment proposal as proposed matches; returns the matches created.

    Per school, as `match_propose` does: a school with an active match is skipped, an open proposal of another company
    is rejected as superseded, and an open proposal of the same company is kept (accepting twice creates nothing).
    A pinned open proposal, or one the school or the company accepted already, is never superseded (the pair is
    skipped). Excluded pairs are skipped (the proposal never holds them; a pair excluded meanwhile stays out).
    Refused as a whole -- nothing is written -- when a company would end up with more proposed and active matches
    than its capacity (its places are counted after the superseded proposals gave theirs back, so a swap fits).
    Constant queries.
    """
    wanted = [pair for pair in pairs if pair.company is not None]
    if not wanted:
        return []
    ids = sorted({pair.participation.pk for pair in wanted})
    list(Participation.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    companies = {pair.company.pk: pair.company for pair in wanted if pair.company is not None}
    editions = {pair.participation.edition_id for pair in wanted}
    capacity = {
        (profile.company_id, profile.edition_id): profile.capacity
        for profile in MentorProfile.objects.select_for_update()
        .filter(company_id__in=list(companies), edition_id__in=editions)
        .order_by("pk")
    }
    taken: Counter[tuple[int, int]] = Counter(
        {
            (row["company_id"], row["participation__edition_id"]): row["n"]
            for row in Match.objects.filter(
                company_id__in=list(companies), participation__edition_id__in=editions, status__in=TAKES_A_PLACE
            )
            .values("company_id", "participation__edition_id")
            .annotate(n=Count("id"))
            .order_by()
        }
    )
    current = list(
        Match.objects.select_for_update().filter(participation_id__in=ids, status__in=TAKES_A_PLACE).order_by("pk")
    )
    active = {m.participation_id for m in current if m.status == Match.Status.ACTIVE}
    open_by_school: dict[int, list[Match]] = {}
    for m in current:
        if m.status == Match.Status.PROPOSED:
            open_by_school.setdefault(m.participation_id, []).append(m)
    excluded = set(ExcludedPair.objects.filter(participation_id__in=ids).values_list("participation_id", "company_id"))
    now = timezone.now()
    superseded: list[Match] = []
    created: list[Match] = []
    added: Counter[tuple[int, int]] = Counter()
    for pair in wanted:
        school_id, company, edition_id = pair.participation.pk, pair.company, pair.participation.edition_id
        assert company is not None  # filtered above; narrows the type
        open_matches = open_by_school.get(school_id, [])
        if school_id in active or (school_id, company.pk) in excluded:
            continue
        if any(m.company_id == company.pk for m in open_matches):
            continue
        if any(m.pinned or m.school_accepted_at or m.company_accepted_at for m in open_matches):
            continue  # kept as it is: the assignment never supersedes a pinned or half-accepted proposal
        for old in open_matches:
            old.status = Match.Status.REJECTED
            old.updated_at = now  # bulk_update does not touch auto_now fields
            _append(old, log_line(by=by, action=_("superseded by a new proposal")))
            superseded.append(old)
            taken[(old.company_id, edition_id)] -= 1
        open_by_school[school_id] = []
        taken[(company.pk, edition_id)] += 1
        added[(company.pk, edition_id)] += 1
        reason = _("global assignment, score %(score)s %%") % {"score": round((pair.score or 0) * 100)}
        match = Match(
            participation=pair.participation,
            company=company,
            score=pair.score,
            parts=pair.parts,
            decided_by=by,
        )
        _append(match, log_line(by=by, action=_("proposed %(company)s") % {"company": company.name}, reason=reason))
        created.append(match)
    for key, count in sorted(added.items()):
        company = companies[key[0]]
        if key not in capacity:
            raise _no_profile(company)
        if taken[key] > capacity[key]:
            raise _full(company, taken=taken[key] - count, capacity=capacity[key])
    Match.objects.bulk_update(superseded, ["status", "note", "updated_at"])
    return Match.objects.bulk_create(created)
