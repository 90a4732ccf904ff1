"""The evidence observatory: areas, indicators, releases and observations.

See DESIGN.md §2. An *observation* is one published value for (indicator,
area, period) in one *release* (a vintage of a dataset). Releases are never
overwritten: a new vintage is kept beside the old, which is how revisions are
shown.
"""

from __future__ import annotations

import functools

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import localised_text


class AreaKind(models.TextChoices):
    UK = "uk", "United Kingdom"
    COUNTRY_GROUP = "country-group", "Group of nations"
    NATION = "nation", "Nation"
    REGION = "region", "English region"
    COMBINED_AUTHORITY = "combined-authority", "Combined authority"
    CITY_REGION = "city-region", "City region"
    LONDON_PART = "london-part", "Inner or Outer London"
    COUNTY = "county", "County"
    METROPOLITAN_COUNTY = "metropolitan-county", "Metropolitan county"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN_DISTRICT = "metropolitan-district", "Metropolitan district"
    NON_METROPOLITAN_DISTRICT = "non-metropolitan-district", "Non-metropolitan district"
    LONDON_BOROUGH = "london-borough", "London borough"
    WELSH_UNITARY = "welsh-unitary", "Welsh unitary authority"
    SCOTTISH_COUNCIL = "scottish-council", "Scottish council area"
    NI_DISTRICT = "ni-district", "Northern Ireland district"
    ITL1 = "itl1", "ITL level 1"
    ITL2 = "itl2", "ITL level 2"
    ITL3 = "itl3", "ITL level 3"
    SMALL_AREA = "small-area", "Small area (LSOA)"
    OTHER = "other", "Other"


LOCAL_AUTHORITY_KINDS = frozenset({
    AreaKind.UNITARY, AreaKind.METROPOLITAN_DISTRICT, AreaKind.NON_METROPOLITAN_DISTRICT,
    AreaKind.LONDON_BOROUGH, AreaKind.WELSH_UNITARY, AreaKind.SCOTTISH_COUNCIL, AreaKind.NI_DISTRICT,
})  # fmt: skip

# GSS entity code (first three characters) -> kind.
GSS_KINDS = {
    "K02": AreaKind.UK, "K03": AreaKind.COUNTRY_GROUP, "K04": AreaKind.COUNTRY_GROUP,
    "E92": AreaKind.NATION, "W92": AreaKind.NATION, "S92": AreaKind.NATION, "N92": AreaKind.NATION,
    "E12": AreaKind.REGION, "E47": AreaKind.COMBINED_AUTHORITY, "E10": AreaKind.COUNTY,
    "E11": AreaKind.METROPOLITAN_COUNTY, "E06": AreaKind.UNITARY, "E08": AreaKind.METROPOLITAN_DISTRICT,
    "E07": AreaKind.NON_METROPOLITAN_DISTRICT, "E09": AreaKind.LONDON_BOROUGH, "W06": AreaKind.WELSH_UNITARY,
    "S12": AreaKind.SCOTTISH_COUNCIL, "N09": AreaKind.NI_DISTRICT, "E01": AreaKind.SMALL_AREA,
    "W01": AreaKind.SMALL_AREA, "N34": AreaKind.CITY_REGION, "W42": AreaKind.CITY_REGION,
    "E13": AreaKind.LONDON_PART,
}  # fmt: skip

# Kinds the ONS area list does not hold: registered from the file that publishes them, with its name.
REGISTERED_FROM_FILES = frozenset({AreaKind.ITL1, AreaKind.ITL2, AreaKind.ITL3, AreaKind.CITY_REGION,
                                   AreaKind.LONDON_PART})  # fmt: skip


def kind_of_code(code: str) -> AreaKind:
    if code == "UK":  # the ITL workbooks' code for the whole UK (including Extra-Regio)
        return AreaKind.UK
    if code.startswith("TL"):
        return {3: AreaKind.ITL1, 4: AreaKind.ITL2, 5: AreaKind.ITL3}.get(len(code), AreaKind.OTHER)
    return GSS_KINDS.get(code[:3], AreaKind.OTHER)


class AreaQuerySet(models.QuerySet["Area"]):
    def local_authorities(self) -> AreaQuerySet:
        return self.filter(kind__in=LOCAL_AUTHORITY_KINDS)


class Area(models.Model):
    """A statistical geography, keyed by GSS code (or ITL code for ITL regions)."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30, choices=AreaKind.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
                               help_text="Region or nation of a local authority; nation of a region.")  # fmt: skip
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="First year the area existed.")
    end_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Last year the area existed.")

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_local_authority(self) -> bool:
        return self.kind in LOCAL_AUTHORITY_KINDS


class Aggregation(models.TextChoices):
    SUM = "sum", _("Counts add up")
    RATIO = "ratio", _("Ratio recomputed from its parts")
    WEIGHTED_MEAN = "weighted-mean", _("Rate weighted by its base")
    GROWTH = "growth", _("Growth recomputed from the summed levels")
    NOT_COMBINABLE = "not-combinable", _("Cannot be combined: members' range and median shown")


class Unit(models.TextChoices):
    PERSONS = "persons", "people"
    GBP_MILLION = "£m", "£ million"
    GBP = "£", "£"
    PERCENT = "%", "per cent"
    RATIO = "ratio", "ratio"
    SCORE = "score", "score"
    RANK = "rank", "rank"
    INDEX_2019 = "index-2019", "index, 2019 = 100"


class Indicator(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=150)
    topic = models.CharField(max_length=60)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    definition = models.TextField()
    caveats = models.TextField(blank=True)
    # Welsh twins (keycities/core/bilingual.py), blank until translated; from data/catalogue/indicators.yaml.
    name_cy = models.CharField("name in Welsh", max_length=150, blank=True)
    topic_cy = models.CharField("topic in Welsh", max_length=60, blank=True)
    definition_cy = models.TextField("definition in Welsh", blank=True)
    caveats_cy = models.TextField("caveats in Welsh", blank=True)
    aggregation = models.CharField(max_length=20, choices=Aggregation.choices)
    numerator = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    denominator = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scale = models.FloatField(default=1.0, help_text="Ratio = scale × Σ numerator / Σ denominator.")
    weight = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="For a weighted mean: the indicator giving the weights.")  # fmt: skip
    base = models.CharField(max_length=200, blank=True, help_text="What a rate is a share of.")
    derived = models.BooleanField(default=False, help_text="Computed by the Hub from its parts, not published.")
    higher_is_better = models.BooleanField(null=True, help_text="Blank where neither is better.")
    period_label = models.CharField(max_length=60, default="{year}", help_text="How a period reads, e.g. 'mid-{year}'.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return localised_text(self, "name")  # the page's language

    def get_absolute_url(self) -> str:
        from django.urls import get_script_prefix
        from django.utils.translation import get_language

        return _indicator_url(self.slug, get_language(), get_script_prefix())

    def label_period(self, year: int) -> str:
        """The period in the active language ("mid-2023", "canol 2023"); a label not in PERIOD_LABELS as written."""
        label = gettext(self.period_label) if self.period_label in PERIOD_LABELS else self.period_label
        return label.format(year=year)

    @property
    def base_text(self) -> str:
        """What a rate is a share of, in the active language where the catalogue's wording is known."""
        return gettext(self.base) if self.base in BASES else self.base


# The catalogue's period labels and bases (data/catalogue/indicators.yaml), marked so that Welsh pages show them in
# Welsh (docs/adr/0010-welsh.md). A new wording in the catalogue is shown as written until it is added here.
PERIOD_LABELS = {gettext_noop("mid-{year}"), gettext_noop("April {year}")}
BASES = {gettext_noop("residents"), gettext_noop("residents aged 16 to 64")}
# The datasets' geographies (data/catalogue/*.yaml `geography`), said in every group figure's note.
GEOGRAPHIES = {
    gettext_noop("Local authorities on April 2021 boundaries"),
    gettext_noop("Local authorities on April 2023 boundaries, regions, nations, UK"),
    gettext_noop("Local authorities on April 2023 boundaries, combined authorities, regions, nations, UK"),
    gettext_noop("Local authorities on April 2023 boundaries, combined authorities, ITL1 regions"),
    gettext_noop("Local authorities on April 2023 boundaries, combined authorities, ITL regions, UK"),
    gettext_noop("Local authorities in England and Wales on April 2023 boundaries"),
    gettext_noop("Local authorities in England and Wales on 2021 boundaries"),
    gettext_noop("English local authority districts on 2019 boundaries"),
    gettext_noop("Welsh local authorities (computed from 2011 LSOAs)"),
    gettext_noop("UK, nations, regions, counties and local authorities on April 2023 boundaries"),
    gettext_noop("ITL regions (2021 codes) and the UK"),
    gettext_noop("ITL1, ITL2 and ITL3 regions (2021 codes), England and the UK"),
    gettext_noop("ITL1, ITL2 and ITL3 regions (2025 codes) and combined authorities"),
}


def geography_text(geography: str) -> str:
    """A dataset's geography in the active language where the catalogue's wording is known, else as written."""
    return gettext(geography) if geography in GEOGRAPHIES else geography


# The datasets' titles (data/catalogue/sources.yaml `title`), as the publishers give them in English, with a Welsh
# title for Welsh pages (docs/adr/0010-welsh.md). Release records frozen in claims' evaluations and briefing packs
# keep the English title and are shown through `dataset_title` too. A dataset added to the catalogue shows its
# English title, marked as English on Welsh pages (`observatory_links`' `dataset_title` filter), until it is added.
DATASET_TITLES = {
    gettext_noop("Mid-year population estimates"),
    gettext_noop("Subregional productivity: labour productivity indices by UK ITL2 and ITL3 subregions"),
    gettext_noop("LI01 Regional labour market: local indicators"),
    gettext_noop("Claimant Count"),
    gettext_noop("Annual Survey of Hours and Earnings: median weekly pay by place of residence"),
    gettext_noop("Housing affordability in England and Wales"),
    gettext_noop("International trade in UK nations, regions and cities"),
    gettext_noop("Regional gross domestic product: GDP per head"),
    gettext_noop("Regional gross domestic product (GDP): local authorities"),
    gettext_noop("Regional gross domestic product (GDP): all ITL regions"),
    gettext_noop("English indices of deprivation 2019: local authority district summaries"),
    gettext_noop("Welsh Index of Multiple Deprivation 2019: index and domain scores by small area"),
    gettext_noop("International trade in UK nations, regions and cities: 2022"),
    gettext_noop("Census 2021: age by single year of age (TS007)"),
    gettext_noop("Mid-year population estimates by single year of age and sex"),
}


def dataset_title(title: str) -> str:
    """A dataset's title in the active language where the catalogue's title is known, else as written."""
    return gettext(title) if title in DATASET_TITLES else title


def dataset_title_known(title: str) -> bool:
    return title in DATASET_TITLES


class Dataset(models.Model):
    """A publication that is released in vintages, e.g. 'ONS regional GDP by local authority'."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=120)
    source_url = models.URLField(max_length=400)
    licence = models.CharField(max_length=120, default="Open Government Licence v3.0")
    geography = models.CharField(max_length=200, help_text="The boundaries the figures are published on.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title_text  # the page's language, as a place's name

    @property
    def title_text(self) -> str:
        """The title in the active language (`dataset_title`)."""
        return dataset_title(self.title)


class Release(models.Model):
    class Status(models.TextChoices):
        STARTED = "started", "Import started"
        DONE = "done", "Imported"

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="releases")
    release_date = models.DateField(help_text="The date the publisher released this vintage.")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STARTED)
    imported_at = models.DateTimeField(auto_now_add=True)
    announced_at = models.DateTimeField(
        null=True, blank=True, help_text="When release_imported was sent for it (after its commit)."
    )

    class Meta:
        ordering = ["-release_date", "-imported_at"]
        constraints = [models.UniqueConstraint(fields=["dataset", "sha256"], name="release_unique_file")]

    def __str__(self) -> str:
        return gettext("%(title)s, released %(date)s") % {
            "title": self.dataset.title_text,
            "date": date_format(self.release_date, "j F Y"),
        }

    @property
    def citation(self) -> str:
        return (f"Source: {self.dataset.publisher}, {self.dataset.title}, released {self.release_date:%-d %B %Y}; "
                f"licensed under the {self.dataset.licence}.")  # fmt: skip


class Status(models.TextChoices):
    NONE = "", "Published"
    PROVISIONAL = "provisional", "Provisional"
    SUPPRESSED = "suppressed", "Suppressed or not available"
    UNRELIABLE = "unreliable", "Low reliability"


class Observation(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="observations")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="observations")
    period = models.PositiveSmallIntegerField(help_text="The year the value is for.")
    value = models.FloatField(null=True, blank=True, help_text="Blank when suppressed or not available.")
    lower_ci = models.FloatField(null=True, blank=True, help_text="95% confidence interval, lower bound.")
    upper_ci = models.FloatField(null=True, blank=True, help_text="95% confidence interval, upper bound.")
    status = models.CharField(max_length=12, choices=Status.choices, blank=True, default="")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "indicator", "area", "period"], name="observation_unique"),
        ]
        indexes = [
            models.Index(fields=["indicator", "period"], name="obs_indicator_period"),
            models.Index(fields=["area", "indicator"], name="obs_area_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.period}: {self.value}"


class ReleaseUpload(models.Model):
    """A new vintage of a source in the catalogue, uploaded by the secretariat: checked and compared with the data
    as it stands (the preview), then published (imported as a release) or discarded. The file waits in the
    default storage's temporary uploads (`core.tasks.UPLOADS_DIR`) until then."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        READY = "ready", _("Checked: ready to publish")
        REFUSED = "refused", _("Refused")
        PUBLISHING = "publishing", _("Being published")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    source = models.CharField(max_length=60, help_text="The source's key in data/catalogue/sources.yaml.")
    release_date = models.DateField(help_text="The date the publisher released this vintage.")
    file_name = models.CharField(max_length=200)
    stored = models.CharField(max_length=300, help_text="The file's name in the default storage.")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=State.choices, default=State.CHECKING)
    progress = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True, help_text="Why the file was refused.")
    diff = models.JSONField(default=dict, blank=True, help_text="The revisions against the data as it stands.")
    uploaded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip
    uploaded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source}: {self.file_name} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("observatory:upload", args=[self.pk])

    @property
    def busy(self) -> bool:
        return self.state in {self.State.CHECKING, self.State.PUBLISHING}


@functools.lru_cache(maxsize=1024)
def _indicator_url(slug: str, language: str | None, prefix: str) -> str:
    """An indicator page's address in a language (a page listing every indicator reverses ~130 of them)."""
    from django.urls import reverse

    return reverse("observatory:indicator", args=[slug])
