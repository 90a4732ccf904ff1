"""Engagement pages: public MP pages and the member places' Parliament list; the staff's interactions,
follow-ups and calendar feed. Each view: one gate, one policy call, one query, one presenter."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from keycities.accounts.policy import is_secretariat, secretariat_only, staff_only
from keycities.core import charts
from keycities.core.access import personal, public
from keycities.core.api import csv_response
from keycities.core.files import download
from keycities.core.text import whole_number
from keycities.core.work import due_detail

from . import policy, presenters, queries, services
from .forms import (
    AppgActionForm,
    AppgRoleForm,
    AttachmentForm,
    ContactsImportForm,
    CoverageForm,
    InteractionEditForm,
    InteractionForm,
    MeetingForm,
    PressReleaseForm,
    SpokespersonForm,
)
from .models import (
    AppgMeeting,
    CalendarToken,
    FollowUp,
    MediaCoverage,
    PressRelease,
    ReleaseStatus,
    Role,
    RoleKind,
    Spokesperson,
)
from .templatetags.engagement import party


@public
def parliament(request: HttpRequest) -> HttpResponse:
    """Every member place's constituencies and MPs, by share of wards."""
    by_place: dict[str, list] = {}
    for o in queries.overlaps():
        by_place.setdefault(str(o.place), []).append(o)  # its name in the page's language (Casnewydd)
    return render(request, "engagement/parliament.html", {"by_place": dict(sorted(by_place.items()))})


@public
def appg(request: HttpRequest) -> HttpResponse:
    """The Key Cities APPG: its registered purpose, its officers and members today (public data) and its
    published minutes."""
    group = queries.appg()
    if group is None:
        raise Http404("The APPG has not been loaded.")
    current = list(group.roles.current().select_related("person").order_by("pk"))
    return render(request, "engagement/appg.html", {
        "group": group, "officers": [r for r in current if r.kind == RoleKind.APPG_OFFICER],
        "members": sorted((r for r in current if r.kind == RoleKind.APPG_MEMBER), key=lambda r: r.person.name),
        "minutes": list(queries.published_minutes()[:100]), "can_manage": is_secretariat(request.user),
    })  # fmt: skip


@public
def appg_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The published minutes of one APPG meeting (public); unpublished ones are 404."""
    found = queries.published_minutes().filter(pk=pk).first()
    if found is None:
        raise Http404("There are no published minutes for that meeting.")
    return render(request, "engagement/appg_minutes.html", {"m": found})


@secretariat_only
@require_http_methods(["GET", "POST"])
def appg_manage(request: HttpRequest) -> HttpResponse:
    """The secretariat keeps the APPG's officers and members over time and its meetings."""
    group = queries.appg()
    if group is None:
        raise Http404("The APPG has not been loaded.")
    action = request.POST.get("action") if request.method == "POST" else None
    role_form = AppgRoleForm(request.POST if action == "role" else None)
    meeting_form = MeetingForm(request.POST if action == "meeting" else None)
    if action == "role" and role_form.is_valid():
        services.add_appg_role(role_form.cleaned_data, by=request.user)
        messages.success(request, _("Added to the APPG."))
        return redirect(reverse("engagement:appg-manage"))
    if action == "meeting" and meeting_form.is_valid():
        made = services.save_meeting(meeting_form.cleaned_data, by=request.user)
        return redirect(made.get_absolute_url())
    if request.method == "POST" and action not in ("role", "meeting"):
        messages.error(request, _("Choose what to add."))
        return redirect(reverse("engagement:appg-manage"))
    return render(request, "engagement/appg_manage.html", {
        "group": group, "roles": list(queries.appg_roles(group)), "today": timezone.localdate(),
        "meetings": list(AppgMeeting.objects.prefetch_related("actions")[:200]), "role_form": role_form,
        "meeting_form": meeting_form,
    }, status=400 if role_form.errors or meeting_form.errors else 200)  # fmt: skip


@secretariat_only
@require_POST
def appg_role_end(request: HttpRequest, pk: int) -> HttpResponse:
    found = Role.objects.filter(pk=pk, kind__in=services.APPG_ROLES).first()
    if found is None:
        raise Http404("There is no such APPG role.")
    services.end_appg_role(found, by=request.user)
    messages.success(request, _("Role ended."))
    return redirect(reverse("engagement:appg-manage"))


@secretariat_only
@require_http_methods(["GET", "POST"])
def appg_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """One APPG meeting: agenda, attendees and minutes; its actions; publishing its minutes."""
    found = AppgMeeting.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("There is no such meeting.")
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {name: getattr(found, name) for name in services.MEETING_FIELDS} | {
        "attendees": list(found.attendees.all())
    }
    form = MeetingForm(request.POST if action == "save" else None, initial=initial)
    action_form = AppgActionForm(request.POST if action == "action" else None)
    try:
        if action == "save" and form.is_valid():
            services.save_meeting(form.cleaned_data, by=request.user, meeting=found)
            messages.success(request, _("Meeting saved."))
            return redirect(found.get_absolute_url())
        if action == "action" and action_form.is_valid():
            services.add_appg_action(found, action_form.cleaned_data, by=request.user)
            messages.success(request, _("Action added."))
            return redirect(found.get_absolute_url())
        if action == "publish":
            services.publish_minutes(found, by=request.user)
            messages.success(request, _("Minutes published."))
            return redirect(found.get_absolute_url())
        if action == "done":
            done = found.actions.filter(pk=whole_number(request.POST.get("item")) or 0).first()
            if done is None:
                raise Http404("There is no such action.")
            services.complete_appg_action(done, by=request.user)
            return redirect(found.get_absolute_url())
    except services.AppgRefused as exc:
        messages.error(request, str(exc))
        return redirect(found.get_absolute_url())
    return render(request, "engagement/appg_meeting.html", {
        "m": found, "form": form, "action_form": action_form, "actions": list(found.actions.all()),
        "attendees": list(found.attendees.all()),
    }, status=400 if form.errors or action_form.errors else 200)  # fmt: skip


@public
def mp(request: HttpRequest, pk: int) -> HttpResponse:
    person = queries.person_with_roles(pk)
    if person is None or not any(r.is_public for r in person.roles.all()):
        raise Http404("There is no such MP or Minister.")
    roles = [r for r in person.roles.all() if r.is_public]
    seats = [r for r in roles if r.kind == RoleKind.MP and r.end is None and r.constituency]
    places = [o for r in seats if r.constituency for o in queries.places_of(r.constituency)]
    interactions = None
    if policy.sees_interactions(request.user):
        interactions = list(policy.visible_interactions(request.user).filter(people=person).order_by("-date")[:50])
    return render(request, "engagement/mp.html", {
        "person": person, "roles": roles, "seats": seats, "places": places, "interactions": interactions,
        "contact": policy.may_see_contact(request.user, person) and (person.email or person.phone),
    })  # fmt: skip


@staff_only
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact's record, personal data included, for those policy.may_see_contact allows."""
    found = policy.access_contact(request.user, pk)
    return render(request, "engagement/person.html", {
        "person": found, "roles": list(found.roles.select_related("organisation", "constituency")),
        "interactions": list(policy.visible_interactions(request.user).filter(people=found).order_by("-date")[:50]),
    })  # fmt: skip


@staff_only
def interactions(request: HttpRequest) -> HttpResponse:
    policy.access_interactions(request.user)
    found = (policy.visible_interactions(request.user).prefetch_related("people", "organisations", "places")
             .order_by("-date", "-pk")[:200])  # fmt: skip
    return render(
        request,
        "engagement/interactions.html",
        {
            "interactions": found,
            "can_record": policy.may_record(request.user),
            "can_import": is_secretariat(request.user),
        },
    )


@staff_only
@require_http_methods(["GET", "POST"])
def interaction_new(request: HttpRequest) -> HttpResponse:
    policy.access_interactions(request.user)
    form = InteractionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():  # not when a picker's "Find" sent the form back
        made = services.record_interaction(form.interaction(), by=request.user, follow_up=form.follow_up_data())
        return redirect(made.get_absolute_url())
    return render(request, "engagement/interaction_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_only
def interaction(request: HttpRequest, pk: int, attach_form: AttachmentForm | None = None) -> HttpResponse:
    found = policy.access_interaction(request.user, pk)
    can_edit = policy.may_edit(request.user, found)
    return render(request, "engagement/interaction.html", {
        "i": found, "people": list(found.people.all()), "organisations": list(found.organisations.all()),
        "places": list(found.places.all()), "work_areas": list(found.work_areas.all()),
        "asks": list(found.asks.all()), "attachments": list(found.attachments.all()), "can_edit": can_edit,
        "attach_form": attach_form or (AttachmentForm() if can_edit else None),
        "follow_ups": list(found.follow_ups.select_related("owner")), "today": timezone.localdate(),
    }, status=400 if attach_form is not None and attach_form.errors else 200)  # fmt: skip


@staff_only
@require_http_methods(["GET", "POST"])
def interaction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an interaction outside the admin: the secretariat, or whoever recorded it. Audited."""
    found = policy.access_edit(request.user, pk)
    initial = {"kind": found.kind, "date": found.date, "title": found.title, "summary": found.summary,
               "private_notes": found.private_notes, **{name: list(getattr(found, name).all()) for name in (
                   "people", "organisations", "places", "work_areas", "asks")}}  # fmt: skip
    form = InteractionEditForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_interaction(found, form.interaction(), by=request.user)
        messages.success(request, _("Interaction saved."))
        return redirect(found.get_absolute_url())
    return render(request, "engagement/interaction_form.html", {"form": form, "interaction": found},
                  status=400 if form.errors else 200)  # fmt: skip


@staff_only
@require_POST
def interaction_attach(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.access_edit(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(found, form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, _("Document attached."))
            return redirect(found.get_absolute_url())
    return interaction(request, pk, attach_form=form)


@staff_only
def attachment(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    found = policy.access_attachment(request.user, pk, attachment)
    return download(found.file, filename=found.original_name, content_type=found.content_type)


def _coverage(request: HttpRequest) -> queries.Coverage:
    policy.access_interactions(request.user)
    return queries.coverage(
        policy.visible_interactions(request.user),
        timezone.localdate(),
        scope=functools.partial(policy.interaction_scope, request.user),
    )


def _chart(title: str, bars: list[tuple[str, float | None]], **options: Any) -> charts.Chart:
    """charts.bar_chart with each name above its bar (readable on a phone); its drawing is kept per process by
    its spec (`charts._svg`), so only a change in the numbers (or the language) draws it again."""
    return charts.bar_chart(title, bars, narrow=True, **options)


@staff_only
def coverage(request: HttpRequest) -> HttpResponse:
    """Which member places' MPs we have engaged in the last 3, 6 and 12 months, by party; whose never; which
    departments per work area and which Ministers; and asks with an outcome. A chart and CSV for each table."""
    found = _coverage(request)
    bars = [(party(r["party"]), 100 * r["engaged_12"] / r["mps"]) for r in found.by_party if r["mps"]]
    chart = _chart(_("Share of member places’ MPs engaged in the last 12 months, by party"), bars,
                             unit="%", label=_("Party")) if bars else None  # fmt: skip
    areas: list[tuple[str, float | None]] = [(area, float(len(names))) for area, names in found.departments]
    departments_chart = _chart(
        _("Government departments engaged in the last 12 months, by work area"), areas, unit="count",
        label=_("Work area"), value_title=_("Departments")) if areas else None  # fmt: skip
    posts: list[tuple[str, float | None]] = [(name, 100 * seen / held) for name, held, seen in
                                             found.ministers_by_department if held]  # fmt: skip
    ministers_chart = _chart(
        _("Share of Ministers in post today engaged in the last 12 months, by department"), posts, unit="%",
        label=_("Department")) if posts else None  # fmt: skip
    press = queries.press_coverage(timezone.localdate())
    outlets: list[tuple[str, float | None]] = [(r["outlet"], float(r["pieces_12"])) for r in press.by_outlet
                                               if r["pieces_12"]]  # fmt: skip
    press_chart = _chart(
        _("Pieces of coverage in the last 12 months, by media outlet"), outlets, unit="count", max_bars=20,
        label=_("Media outlet"), value_title=_("Pieces of coverage")) if outlets else None  # fmt: skip
    measures = (("outlets", _("Media outlets that covered us")), ("releases", _("Press releases that were covered")),
                ("pieces", _("Pieces of coverage")))  # fmt: skip
    press_rows = [(label, [press.totals[key][n] for n in press.months]) for key, label in measures]
    return render(request, "engagement/coverage.html", {
        "c": found, "chart": chart, "departments_chart": departments_chart, "ministers_chart": ministers_chart,
        "press": press, "press_chart": press_chart, "press_rows": press_rows,
        "ministers_sentence": presenters.of_the(
            found.minister_count, len(found.ministers),
            ngettext("%(n)s Minister in post today", "%(n)s Ministers in post today", found.minister_count),
            "ministers"),
        "asks_sentence": presenters.of_the(
            found.asks_raised, found.asks_with_outcome,
            ngettext("%(n)s ask raised in meetings", "%(n)s asks raised in meetings", found.asks_raised), "asks"),
        "everyone": is_secretariat(request.user),
    })  # fmt: skip


@staff_only
def coverage_csv(request: HttpRequest) -> HttpResponse:
    found = _coverage(request)
    header = ["party", "mps", *(f"engaged_last_{n}_months" for n in found.months)]
    rows = ([r["party"], r["mps"], *(r[f"engaged_{n}"] for n in found.months)] for r in found.by_party)
    return csv_response("mp-coverage.csv", header, rows)


@staff_only
def coverage_departments_csv(request: HttpRequest) -> HttpResponse:
    found = _coverage(request)
    rows = ([area, len(names), "; ".join(names)] for area, names in found.departments)
    return csv_response("department-coverage.csv", ["work_area", "departments_engaged_last_12_months", "departments"],
                        rows)  # fmt: skip


@staff_only
def coverage_ministers_csv(request: HttpRequest) -> HttpResponse:
    found = _coverage(request)
    rows = ([name, post, dept, last.isoformat() if last else ""] for name, post, dept, last in found.minister_rows)
    return csv_response("minister-coverage.csv", ["minister", "post", "department",
                                                  "last_interaction_in_last_12_months"], rows)  # fmt: skip


@staff_only
def coverage_press_csv(request: HttpRequest) -> HttpResponse:
    """The coverage log counted per media outlet: pieces of coverage and distinct press releases they used, in
    the last 3, 6 and 12 months."""
    policy.access_media(request.user)
    press = queries.press_coverage(timezone.localdate())
    header = ["outlet", *(f"coverage_last_{n}_months" for n in press.months),
              *(f"releases_used_last_{n}_months" for n in press.months)]  # fmt: skip
    rows = ([r["outlet"], *(r[f"pieces_{n}"] for n in press.months), *(r[f"releases_{n}"] for n in press.months)]
            for r in press.by_outlet)  # fmt: skip
    return csv_response("press-coverage.csv", header, rows)


@secretariat_only
@require_http_methods(["GET", "POST"])
def import_contacts(request: HttpRequest) -> HttpResponse:
    """The secretariat adds journalists and contacts at partners from a CSV file; any problem refuses it all."""
    form = ContactsImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str, str]] = []
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = services.import_contacts(form.cleaned_data["file"].read().decode("utf-8-sig", errors="replace"),
                                            by=request.user)  # fmt: skip
        except services.ImportError_ as exc:
            problems = exc.problems
    return render(request, "engagement/import.html", {"form": form, "problems": problems, "done": done,
                                                      "columns": services.CONTACT_COLUMNS})  # fmt: skip


@staff_only
def follow_ups(request: HttpRequest) -> HttpResponse:
    policy.access_interactions(request.user)
    today = timezone.localdate()
    mine = FollowUp.objects.filter(owner=request.user.pk, done_at__isnull=True).select_related("interaction")
    overdue = policy.visible_follow_ups(request.user).filter(done_at__isnull=True, due__lt=today)
    return render(request, "engagement/follow_ups.html", {
        "mine": [(f, *presenters_due(f, today)) for f in mine.order_by("due", "pk")],
        "overdue": [(f, *presenters_due(f, today)) for f in overdue.select_related("owner", "interaction")
                    .order_by("due", "pk")[:200]],
        "everyone": is_secretariat(request.user),
    })  # fmt: skip


def presenters_due(f: FollowUp, today: dt.date) -> tuple[str, bool]:
    return due_detail(f.due, today)


@staff_only
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.access_follow_up(request.user, pk)
    services.complete_follow_up(found, by=request.user)
    return redirect(reverse("engagement:follow-ups"))


@staff_only
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    """The user's private calendar address: make a new one (the old one stops working) or revoke it."""
    policy.access_calendar(request.user)
    key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_token(request.user)
        else:
            key = services.new_calendar_token(request.user)
    has = CalendarToken.objects.filter(user=request.user.pk).exists()
    feed = request.build_absolute_uri(reverse("engagement:calendar-feed", args=[key])) if key else None
    return render(request, "engagement/calendar.html", {"feed": feed, "has": has})


@public
@personal
def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    """A user's meetings and follow-ups as iCalendar, for whoever holds the unguessable address."""
    token = CalendarToken.objects.select_related("user").filter(key_hash=CalendarToken.hash(key),
                                                                user__is_active=True).first()  # fmt: skip
    if token is None:
        raise Http404("There is no such calendar.")
    user = token.user
    events = [{"uid": f"follow-up-{f.pk}@keycities-hub", "date": f.due, "summary": _("Follow-up: %(text)s") % {
        "text": f.text}, "description": f.interaction.title, "url": request.build_absolute_uri(
        f.interaction.get_absolute_url())} for f in user.follow_ups.filter(done_at__isnull=True)
        .select_related("interaction")]  # fmt: skip
    meetings = policy.visible_interactions(user).filter(kind="meeting", date__gte=timezone.localdate()
                                                        - dt.timedelta(days=365))  # fmt: skip
    events += [{"uid": f"interaction-{i.pk}@keycities-hub", "date": i.date, "summary": i.title,
                "url": request.build_absolute_uri(i.get_absolute_url())} for i in meetings]  # fmt: skip
    body = presenters.calendar(events, stamp=timezone.now(), name=_("Key Cities Hub: meetings and follow-ups"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- media: press releases, spokespeople, the coverage log ------------------------------------------------


@public
def press_releases_public(request: HttpRequest) -> HttpResponse:
    """The group's published press releases (public), in Welsh where translated."""
    return render(request, "engagement/press_releases.html", {"releases": queries.published_press_releases()[:200]})


@public
def press_release_public(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.public_release(pk)
    return render(request, "engagement/press_release.html", {
        "r": found, "spokespeople": list(found.spokespeople.select_related("person")),
        "claims": list(found.claims.all()),
    })  # fmt: skip


@staff_only
def releases(request: HttpRequest) -> HttpResponse:
    policy.access_media(request.user)
    return render(request, "engagement/releases.html", {"releases": queries.press_releases()[:500]})


@staff_only
@require_http_methods(["GET", "POST"])
def release_new(request: HttpRequest) -> HttpResponse:
    policy.access_media(request.user)
    return _release_form(request, None)


@staff_only
@require_http_methods(["GET", "POST"])
def release_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.access_release(request.user, pk)
    if found.status != ReleaseStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed: return it to draft first."))
        return redirect(found.get_absolute_url())
    return _release_form(request, found)


def _release_form(request: HttpRequest, release: PressRelease | None) -> HttpResponse:
    initial = None
    if release is not None:
        initial = {name: getattr(release, name) for name in services.RELEASE_FIELDS}
        initial |= {"spokespeople": list(release.spokespeople.all()), "claims": list(release.claims.all())}
    form = PressReleaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_release(form.cleaned_data, by=request.user, release=release)
        except services.ReleaseRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Press release saved."))
            return redirect(saved.get_absolute_url())
    return render(request, "engagement/release_form.html", {"form": form, "release": release},
                  status=400 if form.errors else 200)  # fmt: skip


@staff_only
@require_http_methods(["GET", "POST"])
def release(request: HttpRequest, pk: int) -> HttpResponse:
    """A press release for staff, with its claims' current verdicts; the secretariat approves, publishes or
    returns it to draft here."""
    found = policy.access_release(request.user, pk)
    if request.method == "POST":
        if not policy.may_approve(request.user):
            raise PermissionDenied(_("Only the secretariat approves and publishes press releases."))
        action = {"approve": services.approve_release, "publish": services.publish_release,
                  "draft": services.return_to_draft}.get(request.POST.get("action", ""))  # fmt: skip
        if action is None:
            messages.error(request, _("Choose approve, publish or return to draft."))
            return redirect(found.get_absolute_url())
        try:
            action(found, by=request.user)
        except services.ReleaseRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, {"approve": _("Approved."), "publish": _("Published."),
                                       "draft": _("Returned to draft.")}[request.POST["action"]])  # fmt: skip
        return redirect(found.get_absolute_url())
    from keycities.claims import queries as claims

    cited = [(c, claims.latest(c)) for c in claims.claims().filter(press_releases=found)]
    return render(request, "engagement/release.html", {
        "r": found, "spokespeople": list(found.spokespeople.select_related("person", "work_area")), "cited": cited,
        "problems": services.claim_problems(found) if found.status != ReleaseStatus.PUBLISHED else [],
        "can_approve": policy.may_approve(request.user), "coverage": list(found.coverage.select_related("outlet")),
    })  # fmt: skip


@staff_only
@require_http_methods(["GET", "POST"])
def spokespeople(request: HttpRequest) -> HttpResponse:
    """Spokespeople per work area (staff); the secretariat adds and ends them."""
    policy.access_media(request.user)
    form = SpokespersonForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not policy.may_approve(request.user):
            raise PermissionDenied(_("Only the secretariat names spokespeople."))
        if form.is_valid():
            services.add_spokesperson(form.cleaned_data, by=request.user)
            messages.success(request, _("Spokesperson added."))
            return redirect(reverse("engagement:spokespeople"))
    return render(request, "engagement/spokespeople.html", {
        "current": list(queries.spokespeople()), "form": form, "can_manage": policy.may_approve(request.user),
    }, status=400 if form.errors else 200)  # fmt: skip


@secretariat_only
@require_POST
def spokesperson_end(request: HttpRequest, pk: int) -> HttpResponse:
    found = Spokesperson.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("There is no such spokesperson.")
    services.end_spokesperson(found, by=request.user)
    messages.success(request, _("Ended: today is their last day as spokesperson."))
    return redirect(reverse("engagement:spokespeople"))


@staff_only
@require_http_methods(["GET", "POST"])
def media_coverage(request: HttpRequest) -> HttpResponse:
    """The coverage log (staff): what the media published, and which release or claim it used."""
    policy.access_media(request.user)
    form = CoverageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_coverage(form.cleaned_data, by=request.user)
        except services.ReleaseRefused as exc:
            form.add_error("outlet", str(exc))
        else:
            messages.success(request, _("Coverage logged."))
            return redirect(reverse("engagement:media-coverage"))
    return render(request, "engagement/media_coverage.html", {"items": queries.media_coverage()[:500], "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


MEDIA_CSV_HEADER = ["date", "outlet", "headline", "url", "press_release", "claim"]


def media_coverage_row(c: MediaCoverage) -> list[Any]:
    return [c.date.isoformat(), c.outlet.name, c.headline, c.url, c.release.title if c.release else "",
            c.claim.headline if c.claim else ""]  # fmt: skip


@staff_only
def media_coverage_csv(request: HttpRequest) -> HttpResponse:
    policy.access_media(request.user)
    return csv_response("media-coverage.csv", MEDIA_CSV_HEADER, map(media_coverage_row, queries.media_coverage()))
