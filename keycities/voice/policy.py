"""Who may see and do what with surveys. Pages and the API call these; nothing else decides.

- Residents (anyone, no account): open surveys, and their own response through its private link.
- Everyone: the results of a closed survey whose results staff have published (aggregates only).
- The secretariat: every survey; build, launch, analyse and publish any.
- An officer of a member place: the surveys that include their place; build surveys for their place only.
- Nobody sees another person's response through the Hub's pages or API: results are aggregates, and quotes
  are anonymised.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from keycities.accounts.policy import is_member_officer, is_secretariat, officer_place_id

from .models import Survey


def may_build(user: Any) -> bool:
    return is_secretariat(user) or is_member_officer(user)


def managed_surveys(user: Any) -> QuerySet[Survey]:
    if is_secretariat(user):
        return Survey.objects.all()
    if is_member_officer(user):
        return Survey.objects.filter(places=officer_place_id(user)).distinct()
    return Survey.objects.none()


def buildable_place_ids(user: Any) -> set[int] | None:
    """The places a user may build a survey for: None means every member place (the secretariat)."""
    if is_secretariat(user):
        return None
    place = officer_place_id(user)
    return {place} if place else set()


def access_manage(user: Any, slug: str) -> Survey:
    found = managed_surveys(user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def open_surveys() -> QuerySet[Survey]:
    today = timezone.localdate()
    return Survey.objects.filter(status=Survey.Status.LIVE, opens_on__lte=today, closes_on__gte=today)


def published_surveys() -> QuerySet[Survey]:
    return Survey.objects.filter(status=Survey.Status.LIVE, closes_on__lt=timezone.localdate(), results_public=True)


def visible_surveys(user: Any) -> QuerySet[Survey]:
    """Surveys a user may know of: open ones and published results for everyone, plus those they manage."""
    public = Q(pk__in=open_surveys().values("pk")) | Q(pk__in=published_surveys().values("pk"))
    return Survey.objects.filter(public | Q(pk__in=managed_surveys(user).values("pk"))).distinct()


def access_survey(user: Any, slug: str) -> Survey:
    """A survey's start page: open (or, for those who manage it, any state; they can preview it)."""
    found = visible_surveys(user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def may_see_results(user: Any, survey: Survey) -> bool:
    if managed_surveys(user).filter(pk=survey.pk).exists():
        return True
    return survey.results_public and survey.is_closed()


def access_results(user: Any, slug: str) -> Survey:
    """Results: for those who manage the survey at any time; for everyone once closed and published. 404
    otherwise (an unpublished survey's results are not confirmed to exist)."""
    found = Survey.objects.filter(slug=slug).first()
    if found is None or not may_see_results(user, found):
        raise Http404
    return found


def may_edit(user: Any, survey: Survey) -> bool:
    return managed_surveys(user).filter(pk=survey.pk).exists()


def access_edit(user: Any, slug: str) -> Survey:
    survey = access_manage(user, slug)
    if not is_secretariat(user) and survey.places.exclude(pk=officer_place_id(user) or 0).exists():
        raise PermissionDenied(_("Only the secretariat can change a survey for more than one place."))
    return survey
