"""Let a work area's page (owned by `network`) link to the evidence about it without importing the
observatory: `{% load observatory_links %}{% work_area_evidence work_area %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from keycities.core.bilingual import HTML_LANG, Localised, is_welsh
from keycities.observatory.models import dataset_title as title_in_language
from keycities.observatory.models import dataset_title_known, geography_text

from .. import queries

register = template.Library()

# The indicators that speak to each work area (docs/adr/0027-evidence-pages-speed.md): a judgement, kept
# here beside the pages that use it; a work area not listed (culture, integration) has none in the Hub yet.
WORK_AREA_EVIDENCE: dict[str, list[str]] = {
    "employment-and-welfare-reform": ["employment-rate", "economic-inactivity-rate", "claimant-rate",
                                      "iod-employment-average-score"],
    "inclusive-growth": ["gva-per-head", "gdp-per-head-real-growth", "median-weekly-pay", "imd-average-score"],
    "brexit": ["goods-exports", "services-exports", "goods-trade-balance"],
    "health-and-social-care": ["iod-health-average-score", "iod-idaopi-average-score"],
    "housing": ["house-price-to-earnings", "iod-barriers-average-score"],
    "skills": ["iod-education-average-score", "gva-per-hour"],
    "young-people": ["iod-idaci-average-score", "iod-education-average-score"],
    "transport": ["gva-per-filled-job"],
    "environment": ["iod-living-average-score"],
}  # fmt: skip


@register.inclusion_tag("observatory/includes/work_area_evidence.html")
def work_area_evidence(work_area: Any) -> dict[str, Any]:
    slugs = WORK_AREA_EVIDENCE.get(work_area.slug, [])
    found = {ind.slug: ind for ind in queries.indicators().filter(slug__in=slugs)}
    return {"work_area": work_area, "indicators": [found[s] for s in slugs if s in found]}


@register.filter
def geography(text: str) -> str:
    """`{{ dataset.geography|geography }}`: a dataset's geography in the page's language where the catalogue's
    wording is known (observatory.models.GEOGRAPHIES)."""
    return geography_text(str(text))


@register.filter
def dataset_title(title: str) -> SafeString:
    """`{{ release.title|dataset_title }}`: a dataset's title in the page's language (observatory.models
    .DATASET_TITLES); on a Welsh page a title with no Welsh is shown in English, marked as English."""
    title = str(title)
    if is_welsh() and not dataset_title_known(title):
        return Localised(title, HTML_LANG["en"], bool(title)).__html__()
    return Localised(title_in_language(title), HTML_LANG["cy" if is_welsh() else "en"], False).__html__()
