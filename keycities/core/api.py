"""Shared API plumbing: one error envelope, pagination, CSV.

Every list endpoint takes `limit`, `offset` and `format` (json or csv) and
answers JSON as a `Page` or the same rows as CSV. Every error, whatever
raised it, is answered as `{"error": {"status", "code", "message", "details"}}`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, Literal, TypeVar

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .spreadsheet import SafeWriter

T = TypeVar("T")

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    422: "invalid_parameters",
    429: "rate_limited",
    500: "server_error",
}


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorEnvelope(Schema):
    error: ErrorBody


def error_response(status: int, message: str, details: list[dict[str, Any]] | None = None) -> JsonResponse:
    body = {"status": status, "code": CODES.get(status, "error"), "message": message, "details": details or []}
    return JsonResponse({"error": body}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {"location": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors
        ]
        return error_response(422, "The request's parameters are not valid.", details)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(exc.status_code, str(exc.message))

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(401, "Sign in or send a valid API token.")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, str(exc) or "Not found.")

    @api.exception_handler(Exception)
    def _server(request: HttpRequest, exc: Exception) -> HttpResponse:
        import logging

        logging.getLogger("keycities.api").exception("Unhandled API error")
        return error_response(500, "Something went wrong on our side; it has been logged.")


class ListParams(Schema):
    limit: int = Field(100, ge=1, le=1000, description="Rows per page (at most 1000).")
    offset: int = Field(0, ge=0, description="Rows to skip.")
    format: Literal["json", "csv"] = Field("json", description="json (paginated) or csv (every row).")


class Page(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[T]


def _page_url(request: HttpRequest, offset: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest, rows: Sequence[Any] | QuerySet[Any, Any], params: ListParams, serialise: Callable[[Any], Any]
) -> dict[str, Any]:
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    window = rows[params.offset : params.offset + params.limit]
    end = params.offset + params.limit
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next": _page_url(request, end) if end < count else None,
        "previous": _page_url(request, max(params.offset - params.limit, 0)) if params.offset else None,
        "results": [serialise(r) for r in window],
    }


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A CSV download written row by row, for tables too large to build in memory (cells made safe for
    spreadsheets: core.spreadsheet)."""
    writer = SafeWriter(_Echo())

    def lines() -> Iterable[str]:
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download (cells made safe for spreadsheets: core.spreadsheet)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
