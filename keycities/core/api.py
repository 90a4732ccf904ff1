"""Shared API plumbing: one error envelope, pagination, CSV.

Every list endpoint takes `limit`, `offset` and `format` (json or csv) and
answers JSON as a `Page` or the same rows as CSV. Every error, whatever
raised it, is answered as `{"error": {"status", "code", "message", "details"}}`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, Generic, Literal, TypeVar

from django.db import DataError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from pydantic import BeforeValidator

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

    @api.exception_handler(OverflowError)
    def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # A number too large for the database (SQLite stops at 2**63 - 1): the request's fault, not ours.
        return error_response(422, gettext("A number in the request is too large."))

    @api.exception_handler(DataError)
    def _data(request: HttpRequest, exc: DataError) -> HttpResponse:
        # PostgreSQL refused a value from the request (out of range for its column).
        import logging

        logging.getLogger("keycities.api").warning("Refused a value from the request: %s", exc)
        return error_response(422, gettext("A value in the request is out of range."))

    @api.exception_handler(Exception)
    def _server(request: HttpRequest, exc: Exception) -> HttpResponse:
        import logging

        logging.getLogger("keycities.api").exception("Unhandled API error")
        return error_response(500, "Something went wrong on our side; it has been logged.")


MAX_OFFSET = 1_000_000_000


def _iso_date_only(value: Any) -> Any:
    """Dates in the API are written YYYY-MM-DD; pydantic alone would also read `0` as 1 January 1970."""
    if not isinstance(value, str | dt.date) or (
        isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        raise ValueError(gettext("Write the date as YYYY-MM-DD, e.g. 2024-06-30"))
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


class ListParams(Schema):
    limit: int = Field(100, ge=1, le=1000, description="Rows per page (at most 1000).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip (at most a billion).")
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
    window = rows[params.offset : params.offset + params.limit]
    if isinstance(rows, QuerySet):
        window = list(window)
        # A page that is not full, and not past the end, is the last one: the count follows without a second
        # query (the COUNT costs as much as the page itself).
        last = len(window) < params.limit and (len(window) > 0 or params.offset == 0)
        count = params.offset + len(window) if last else rows.count()
    else:
        count = len(rows)
    following, preceding = page_links(request, params, count)
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next": following,
        "previous": preceding,
        "results": [serialise(r) for r in window],
    }


def page_links(request: HttpRequest, params: ListParams, count: int) -> tuple[str | None, str | None]:
    """The addresses of the next and previous pages (None where there is none), as every `Page` gives them."""
    end = params.offset + params.limit
    following = _page_url(request, end) if end < count else None
    preceding = _page_url(request, max(params.offset - params.limit, 0)) if params.offset else None
    return following, preceding


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


# --------------------------------------------------------------------------- the API and its schema

ENVELOPE = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
CSV = {"text/csv": {"schema": {"type": "string", "description": "Comma-separated values with a header row."}}}
COMMON_ERRORS = {
    400: "Bad request: a NUL character in the request, or a body that is not a JSON object.",
    422: "A parameter or the body is not valid (the details say which).",
    404: "Nothing at this address (an unknown slug, code or id).",
    401: "Sign in, or send a valid API token as `Authorization: Bearer <token>`.",
}


class ObjectBodyParser(Parser):
    """Request bodies are JSON objects; anything else (an array, a string, a number, null) is refused with 400
    before it reaches a schema."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


NO_NUL = "^[^\\u0000]*$"  # what RejectNulMiddleware enforces, stated in the schema


def _no_nul(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and not {"format", "enum", "pattern"} & schema.keys():
        schema["pattern"] = NO_NUL
    for alternative in schema.get("anyOf", []):
        _no_nul(alternative)


class HubAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema states every status and content type the API answers with: the errors
    that any operation can return (400 from the NUL guard and the body check, 422 for invalid parameters, 404
    where the address names something, 401 where a token is needed), all in the one error envelope, and
    `text/csv` wherever `format=csv` or a `.csv` address gives CSV."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("parser", ObjectBodyParser())
        super().__init__(**kwargs)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                params = operation.get("parameters", [])
                codes = [400]
                if params or operation.get("requestBody"):
                    codes.append(422)
                if "{" in path:
                    codes.append(404)
                if operation.get("security"):
                    codes.append(401)
                for code in codes:  # ninja keys responses by int; they become strings in the JSON
                    responses.setdefault(code, {"description": COMMON_ERRORS[code], "content": ENVELOPE})
                responses.setdefault(414, {"description": "The address is too long (from the web server in front)."})
                for param in params:
                    _no_nul(param.get("schema", {}))
                for content in operation.get("requestBody", {}).get("content", {}).values():
                    ref = content.get("schema", {}).get("$ref", "")
                    body = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
                    for prop in body.get("properties", {}).values():
                        _no_nul(prop)
                ok = responses.setdefault(200, {"description": "OK", "content": {}})
                ok.setdefault("content", {})
                if path.endswith(".csv"):
                    ok["description"] = "The table as CSV."
                    ok["content"] = dict(CSV)
                elif path.endswith(".json") and not ok["content"]:
                    ok["content"] = {"application/json": {"schema": {"type": "object"}}}
                if any(p.get("name") == "format" and p.get("in") == "query" for p in params):
                    ok["content"].update(CSV)
        return schema
