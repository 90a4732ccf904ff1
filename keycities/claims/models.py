"""The claims register: every figure the group publishes, with a structured
check that is re-run against the data on every release.

A claim's check is data, never code: which indicator, which group and
membership date, which period, what it is compared with, and how the words
are read. The readings ("nearly", "over", "around") are rows staff can edit;
each verdict shows the reading it used.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import HTML_LANG, WELSH, Localised, is_welsh, localised_text
from keycities.network.models import Group
from keycities.observatory.models import Dataset, Indicator


class Document(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    title_cy = models.CharField("title in Welsh", max_length=200, blank=True)
    publisher = models.CharField(max_length=120, default="Key Cities")
    published = models.CharField(max_length=60, help_text="As precise as is known, e.g. 'c. 2018'.")
    published_cy = models.CharField("published (in Welsh)", max_length=60, blank=True,
                                    help_text="e.g. 'tua 2018'; blank until translated.")  # fmt: skip
    published_on = models.DateField(null=True, blank=True, help_text="For ordering; blank if unknown.")
    location = models.CharField(max_length=300, blank=True, help_text="Where the document can be found.")

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("claims:document", args=[self.slug])


class Reading(models.Model):
    """How a word in a claim is read, e.g. 'nearly' = up to 10% below."""

    class Rule(models.TextChoices):
        UP_TO_BELOW = "up-to-below", "At most the target, and no more than the tolerance (%) below it"
        ABOVE = "above", "Above the target"
        AT_LEAST = "at-least", "At least the target"
        WITHIN = "within", "Within the tolerance of the target (points for percentages, % otherwise)"
        EQUAL = "equal", "Equal to the target"

    word = models.CharField(max_length=40, unique=True)
    rule = models.CharField(max_length=20, choices=Rule.choices)
    tolerance_percent = models.FloatField(null=True, blank=True, help_text="Relative tolerance, per cent.")
    tolerance_points = models.FloatField(null=True, blank=True, help_text="For percentages: percentage points.")
    explanation = models.CharField(max_length=200, help_text="Shown next to every verdict that uses it.")
    explanation_cy = models.CharField("explanation in Welsh", max_length=200, blank=True)

    class Meta:
        ordering = ["word"]

    def __str__(self) -> str:
        return f"“{self.word}”: {self.explanation}"

    def clean(self) -> None:
        if self.rule == self.Rule.UP_TO_BELOW and self.tolerance_percent is None:
            raise ValidationError({"tolerance_percent": "Give how far below the target still counts."})
        if self.rule == self.Rule.WITHIN and self.tolerance_percent is None and self.tolerance_points is None:
            raise ValidationError("Give a tolerance in per cent, in percentage points, or both.")


class Comparison(models.TextChoices):
    NUMBER = "number", "A number (the group's figure against a target)"
    SHARE_OF_UK = "share-of-uk", "A share of the UK total (per cent)"
    AREA = "area", "Another area (the group's figure against it)"
    RANK = "rank", "A rank: how many members are among the top areas"
    MEMBER_COUNT = "member-count", "The number of members"
    NOT_CHECKABLE = "not-checkable", "Cannot be checked with the bundled data"


class Claim(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="claims")
    text = models.TextField(help_text="The sentence as published.")
    text_cy = models.TextField("sentence in Welsh", blank=True,
                               help_text="The sentence as published in Welsh; blank until one is.")  # fmt: skip
    headline = models.CharField(max_length=120, help_text="Short form, e.g. 'Population: nearly 6 million'.")
    headline_cy = models.CharField("headline in Welsh", max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    comparison = models.CharField(max_length=20, choices=Comparison.choices)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.PROTECT, related_name="claims",
                                help_text="Use only this dataset's releases (blank: the newest).")  # fmt: skip
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="claims")
    membership_date = models.DateField(help_text="Whose members: the group on this date.")
    period = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year; blank for the latest.")
    reading = models.ForeignKey(Reading, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    target = models.FloatField(null=True, blank=True, help_text="The number claimed, in the indicator's unit.")
    comparator_area = models.CharField(max_length=40, blank=True, help_text="For 'area': e.g. Scotland.")
    rank_within = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For 'rank': the top N areas.")
    growth_windows = models.CharField(
        max_length=40, blank=True, validators=[RegexValidator(r"^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$",
                                                              "Give years as whole numbers separated by commas.")],
        help_text="For a rank by growth: judge growth over these numbers of years, e.g. '5, 10' (real growth "
        "over 5 and over 10 years, from the published chained volume levels), never a single year. Blank: "
        "the published annual rate.",
    )  # fmt: skip
    not_checkable_reason = models.TextField(blank=True, help_text="What is missing to check it.")
    not_checkable_reason_cy = models.TextField("what is missing, in Welsh", blank=True)

    class Meta:
        ordering = ["document", "position", "pk"]

    def __str__(self) -> str:
        return localised_text(self, "headline")  # the page's language (forms' choices)

    def get_absolute_url(self) -> str:
        return reverse("claims:claim", args=[self.pk])

    @property
    def windows(self) -> list[int]:
        """The growth windows in years, e.g. [5, 10]."""
        return sorted({int(w) for w in self.growth_windows.replace(" ", "").split(",") if w.isdigit()})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        needs_indicator = self.comparison not in {Comparison.MEMBER_COUNT, Comparison.NOT_CHECKABLE}
        if needs_indicator and not self.indicator_id:
            errors["indicator"] = "Choose the indicator the claim is about."
        if self.comparison != Comparison.NOT_CHECKABLE and not self.reading_id:
            errors["reading"] = "Choose how the claim's words are read."
        if self.comparison in {Comparison.NUMBER, Comparison.SHARE_OF_UK, Comparison.RANK,
                               Comparison.MEMBER_COUNT} and self.target is None:  # fmt: skip
            errors["target"] = "Enter the number the claim makes."
        if self.comparison == Comparison.AREA and not self.comparator_area:
            errors["comparator_area"] = "Name the area the group is compared with."
        if self.comparison == Comparison.RANK and not self.rank_within:
            errors["rank_within"] = "Enter how many top areas count."
        if self.growth_windows and self.comparison != Comparison.RANK:
            errors["growth_windows"] = "Growth windows apply to a rank only."
        elif self.growth_windows and any(w < 1 or w > 30 for w in self.windows):
            errors["growth_windows"] = "Each window is between 1 and 30 years."
        if self.comparison == Comparison.NOT_CHECKABLE and not self.not_checkable_reason.strip():
            errors["not_checkable_reason"] = "Say what is missing to check the claim."
        if errors:
            raise ValidationError(errors)


class Verdict(models.TextChoices):
    HOLDS = "holds", _("Holds")
    DOES_NOT_HOLD = "does-not-hold", _("Does not hold")
    CANNOT_CHECK = "cannot-check", _("Cannot be checked")


class Evaluation(models.Model):
    """One evaluation of a claim against the data. A new row is kept whenever the
    releases used or the result change, so the history per release survives."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evaluations")
    evaluated_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    figure = models.FloatField(null=True, blank=True)
    comparator = models.FloatField(null=True, blank=True)
    period = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField()
    working = models.JSONField(default=dict)
    releases = models.JSONField(default=list, help_text="The releases used: id, dataset, title, date.")
    marginal = models.BooleanField(default=False, help_text="The verdict would flip within the rounding of the "
                                   "published figures.")  # fmt: skip
    as_published = models.JSONField(
        null=True, blank=True,
        help_text="The same check on the data available when the claim was published: verdict, figure, period, "
        "summary, working, releases.",
    )  # fmt: skip
    welsh = models.JSONField(
        default=dict, blank=True,
        help_text="The summary and working in Welsh (`summary`, `working`), written by the same check run in Welsh; "
        "the as-published result keeps its own under `as_published.welsh`. Empty for evaluations stored before.",
    )  # fmt: skip
    signature = models.CharField(max_length=400, help_text="Release ids used, to tell evaluations apart.")
    changed = models.BooleanField(default=False, help_text="The verdict differs from the one before.")
    acknowledged = models.BooleanField(default=False, help_text="Staff have seen the change.")

    class Meta:
        ordering = ["-evaluated_at", "-pk"]
        get_latest_by = ["evaluated_at", "pk"]

    def __str__(self) -> str:
        return f"{self.claim}: {self.get_verdict_display()}"

    @property
    def summary_shown(self) -> SafeString:
        """The summary in the page's language; the English, marked, where no Welsh was stored."""
        return _shown(self.summary, self.welsh)

    @property
    def working_shown(self) -> dict[str, Any]:
        return _working(self.working, self.welsh)

    @property
    def working_lang(self) -> str:
        return _working_lang(self.welsh)

    @property
    def as_published_shown(self) -> dict[str, Any] | None:
        """`as_published` with `summary_shown`, `working_shown` and `working_lang` in the page's language."""
        if self.as_published is None:
            return None
        then = self.as_published
        welsh = then.get("welsh") or {}
        return {**then, "summary_shown": _shown(then.get("summary", ""), welsh),
                "working_shown": _working(then.get("working") or {}, welsh),
                "working_lang": _working_lang(welsh)}  # fmt: skip

    @property
    def judged_twice(self) -> str:
        """Both verdicts in one sentence (when published, and on the latest data)."""
        from .presenters import judged_twice

        return judged_twice({"verdict": self.verdict, "period": self.period, "marginal": self.marginal},
                            self.as_published)  # fmt: skip


def _shown(english: str, welsh: dict[str, Any]) -> SafeString:
    """HTML (a template turns any other object into a plain string, losing the English's marking)."""
    if not is_welsh():
        return Localised(english, HTML_LANG["en"], False).__html__()
    if welsh.get("summary"):
        return Localised(welsh["summary"], HTML_LANG[WELSH], False).__html__()
    return Localised(english, HTML_LANG["en"], bool(english)).__html__()


def _working(english: dict[str, Any], welsh: dict[str, Any]) -> dict[str, Any]:
    return welsh["working"] if is_welsh() and welsh.get("working") else english


def _working_lang(welsh: dict[str, Any]) -> str:
    return HTML_LANG[WELSH] if is_welsh() and welsh.get("working") else HTML_LANG["en"]
