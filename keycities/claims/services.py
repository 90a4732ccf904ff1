"""Writes to the claims register: seeding, evaluating, acknowledging."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any, Literal

import yaml
from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import translation
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from keycities.core.bilingual import WELSH
from keycities.core.errors import DataFileError
from keycities.core.text import one_line
from keycities.network.models import Group
from keycities.observatory.aggregation import Store
from keycities.observatory.models import Dataset, Indicator

from .evaluate import evaluate, release_record
from .models import Claim, Document, Evaluation, Reading

log = logging.getLogger(__name__)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReadingIn(_Strict):
    word: str
    rule: Literal["up-to-below", "above", "at-least", "within", "equal"]
    tolerance_percent: float | None = None
    tolerance_points: float | None = None
    explanation: str
    explanation_cy: str = ""


class ClaimIn(_Strict):
    headline: str
    headline_cy: str = ""
    text: str
    text_cy: str = ""
    comparison: Literal["number", "share-of-uk", "area", "rank", "member-count", "not-checkable"]
    group: str = "key-cities"
    membership_date: dt.date
    indicator: str | None = None
    dataset: str | None = None
    period: int | None = None
    reading: str | None = None
    target: float | None = None
    comparator_area: str = ""
    rank_within: int | None = None
    growth_windows: str = ""
    not_checkable_reason: str = ""
    not_checkable_reason_cy: str = ""


class DocumentIn(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    title_cy: str = ""
    publisher: str
    published: str
    published_cy: str = ""
    published_on: dt.date | None = None
    location: str = ""
    claims: list[ClaimIn]


class ClaimsFile(_Strict):
    readings: list[ReadingIn]
    documents: list[DocumentIn]


@transaction.atomic
def load_claims(path: Path) -> int:
    """Create the readings, documents and claims in the file that are not there yet, and give those already there
    the file's Welsh where theirs is still blank (staff's own Welsh is never overwritten). Returns claims created."""
    try:
        data = ClaimsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(path, f"cannot be read: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DataFileError(path, f"{first['msg']} (at {'.'.join(str(p) for p in first['loc'])})") from exc
    for r in data.readings:
        reading, _ = Reading.objects.get_or_create(word=r.word, defaults=r.model_dump(exclude={"word"}))
        _fill_welsh(reading, r, ["explanation_cy"])
    created = 0
    for d in data.documents:
        document, _ = Document.objects.get_or_create(slug=d.slug, defaults=d.model_dump(exclude={"slug", "claims"}))
        _fill_welsh(document, d, ["title_cy", "published_cy"])
        for position, c in enumerate(d.claims):
            existing = Claim.objects.filter(document=document, headline=c.headline).first()
            if existing is not None:
                _fill_welsh(existing, c, ["headline_cy", "text_cy", "not_checkable_reason_cy"])
                continue
            claim = Claim(
                document=document, headline=c.headline, headline_cy=c.headline_cy, text=c.text, text_cy=c.text_cy,
                position=position, comparison=c.comparison,
                group=_get(Group, c.group, path), membership_date=c.membership_date,
                indicator=_get(Indicator, c.indicator, path) if c.indicator else None,
                dataset=_get(Dataset, c.dataset, path) if c.dataset else None, period=c.period,
                reading=Reading.objects.get(word=c.reading) if c.reading else None, target=c.target,
                comparator_area=c.comparator_area, rank_within=c.rank_within, growth_windows=c.growth_windows,
                not_checkable_reason=c.not_checkable_reason, not_checkable_reason_cy=c.not_checkable_reason_cy,
            )  # fmt: skip
            try:
                claim.full_clean()
            except Exception as exc:
                raise DataFileError(path, f"claim {c.headline!r}: {exc}") from exc
            claim.save()
            created += 1
    return created


def _fill_welsh(obj: Any, given: BaseModel, fields: list[str]) -> None:
    """Give a row loaded before its Welsh existed the file's Welsh, field by field, where the row's is blank."""
    blank = [f for f in fields if not getattr(obj, f) and getattr(given, f)]
    for f in blank:
        setattr(obj, f, getattr(given, f))
    if blank:
        obj.save(update_fields=blank)


def _get(model: Any, slug: str, path: Path) -> Any:
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise DataFileError(path, f"names unknown {model._meta.verbose_name} {slug!r}")
    return found


def evaluate_claim(claim: Claim, store: Store | None = None) -> Evaluation:
    """Evaluate and keep the result when the data or the answer changed; notify on a changed verdict."""
    with translation.override(settings.LANGUAGE_CODE):  # kept, so written in the Hub's language whatever page saved
        result = evaluate(claim, store)
    # The same check in Welsh, for the Welsh pages: the same figures, its words in Welsh (docs/adr/0010-welsh.md).
    with translation.override(WELSH):
        in_welsh = evaluate(claim, store)
    welsh = {"summary": in_welsh.summary, "working": in_welsh.working}
    then = result.as_published.stored() if result.as_published else None
    if then is not None and in_welsh.as_published is not None:
        then["welsh"] = {"summary": in_welsh.as_published.summary, "working": in_welsh.as_published.working}
    latest = claim.evaluations.order_by("-evaluated_at", "-pk").first()
    same = latest is not None and (latest.signature, latest.verdict, latest.figure, latest.summary, latest.marginal,
                                   _english(latest.as_published)) == (
        result.signature, result.verdict, result.figure, result.summary, result.marginal,
        _english(_as_json(then)))  # fmt: skip
    if same:
        assert latest is not None
        if (latest.welsh, latest.as_published) != (_as_json(welsh), _as_json(then)):
            # Only the Welsh is new (an evaluation stored before it was written, or reworded): no new row.
            latest.welsh, latest.as_published = welsh, then
            latest.save(update_fields=["welsh", "as_published"])
        return latest
    changed = latest is not None and latest.verdict != result.verdict
    evaluation = Evaluation.objects.create(
        claim=claim, verdict=result.verdict, figure=result.figure, comparator=result.comparator,
        period=result.period, summary=result.summary, working=result.working, welsh=welsh,
        releases=[release_record(r) for r in result.releases], marginal=result.marginal, as_published=then,
        signature=result.signature, changed=changed,
    )  # fmt: skip
    if changed:
        assert latest is not None
        transaction.on_commit(lambda: _notify(claim, latest, evaluation))
    return evaluation


def _english(then: Any) -> Any:
    """An as-published result without its Welsh, to tell whether the check's result changed."""
    return {k: v for k, v in then.items() if k != "welsh"} if isinstance(then, dict) else then


def _as_json(value: Any) -> Any:
    """The value as a JSONField gives it back (tuples become lists, keys strings), to compare with a stored one."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder)) if value is not None else None


def evaluate_all() -> list[Evaluation]:
    store = Store()
    claims = Claim.objects.select_related("indicator__numerator", "indicator__denominator", "indicator__weight",
                                          "group", "reading", "dataset", "document")  # fmt: skip
    # One store for every claim: each release is read once, whichever claims and evaluations use it.
    return [evaluate_claim(c, store) for c in claims]


def _notify(claim: Claim, before: Evaluation, now: Evaluation) -> None:
    url = settings.SITE_URL.rstrip("/") + claim.get_absolute_url()
    send_mail(
        subject=one_line(f"Claim verdict changed: {claim.headline}"),
        message=(f"The verdict on a published claim has changed after new data.\n\n"
                 f"Claim: “{claim.text}” ({claim.document})\n"
                 f"Was: {before.get_verdict_display()} ({before.summary})\n"
                 f"Now: {now.get_verdict_display()} ({now.summary})\n\n"
                 f"The working: {url}\n"),
        from_email=None, recipient_list=[settings.SECRETARIAT_EMAIL], fail_silently=False,
    )  # fmt: skip


@transaction.atomic
def acknowledge(evaluation: Evaluation) -> None:
    evaluation.acknowledged = True
    evaluation.save(update_fields=["acknowledged"])


def on_release_imported(sender: object, **kwargs: Any) -> None:
    """Re-evaluate every claim after an import, as a task (connected in apps.py). A failed evaluation is
    retried by the task and can never undo the import, which has committed."""
    from keycities.core.tasks import enqueue_unless_waiting

    from .tasks import reevaluate_claims

    enqueue_unless_waiting(reevaluate_claims)
