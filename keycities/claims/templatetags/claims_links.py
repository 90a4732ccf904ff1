"""Let pages written elsewhere (the home and About pages) link a figure to the claim that checks it,
without the app that renders them importing the claims register."""

from typing import Any, cast

from django import template

from keycities.claims.models import Claim

register = template.Library()


@register.simple_tag(takes_context=True)
def claim_url(context: template.Context, document: str, headline: str) -> str:
    """The address of the claim with this headline in the document, or "" if there is none."""
    cache = cast(dict[str, dict[str, str]], cast(Any, context.render_context).setdefault("claim_urls", {}))
    if document not in cache:
        rows = Claim.objects.filter(document__slug=document).values_list("headline", "pk")
        cache[document] = {h: Claim(pk=pk).get_absolute_url() for h, pk in rows}
    return str(cache[document].get(headline, ""))
