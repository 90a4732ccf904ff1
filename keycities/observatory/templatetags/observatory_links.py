"""Let a work area's page (owned by `network`) link to the evidence about it without importing the
observatory: `{% load observatory_links %}{% work_area_evidence work_area %}`."""

from __future__ import annotations

from typing import Any

from django import template

from keycities.observatory.models import geography_text

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
