"""Errors as RFC 9457 problem details (`application/problem+json`): `type`, `title`,
`status`, `detail`, and `errors` per field for bad input. The title follows the caller's
Accept-Language (简体中文 by default, English); `detail` carries the service's own message,
the one the staff pages show."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language
from django_fsm import TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from workflows.services._step import ERR_BUSY, ERR_READ_ONLY, ERR_TASK_GONE
from workflows.services.completeness import ERR_SUPPLEMENT_ONCE
from workflows.services.fees import ERR_NO_FEE_DUE
from workflows.services.handling import ERR_EXTENSION_PENDING
from workflows.services.receipts import ERR_RECEIPT_KNOWN
from workflows.services.withdrawal import ERR_CANNOT_WITHDRAW

PROBLEM_TYPE = "https://ogi.example.gov.cn/api/problems/"
TITLES = {
    400: ("请求内容有误", "Bad request"),
    401: ("未认证", "Not authenticated"),
    403: ("无权办理", "Forbidden"),
    404: ("未找到", "Not found"),
    405: ("不支持该方法", "Method not allowed"),
    406: ("不支持请求的格式", "Not acceptable"),
    409: ("当前状态不允许此操作", "Conflict with the current state"),
    415: ("不支持的内容类型", "Unsupported media type"),
    422: ("内容未通过校验", "Unprocessable content"),
    429: ("请求过于频繁", "Too many requests"),
    500: ("服务器内部错误", "Internal server error"),
}
SLUGS = {400: "bad-request", 401: "not-authenticated", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
         406: "not-acceptable", 409: "conflict", 415: "unsupported-media-type", 422: "validation",
         429: "throttled", 500: "server-error"}
DETAIL_DEFAULT = {404: ("没有找到该对象，或您无权查看。", "Not found, or not yours to see."),
                  401: ("请提供有效的接口密钥或登录。", "Give a valid API key or sign in.")}
# The services' messages that mean "not in this state" (409), not "bad input" (422).
STATE_MESSAGES = {str(m) for m in (ERR_TASK_GONE, ERR_READ_ONLY, ERR_BUSY, ERR_SUPPLEMENT_ONCE, ERR_NO_FEE_DUE,
                                    ERR_EXTENSION_PENDING, ERR_RECEIPT_KNOWN, ERR_CANNOT_WITHDRAW)}


def english() -> bool:
    return (get_language() or "").lower().startswith("en")


def problem(status_code: int, detail: str | None = None, *, errors: dict | None = None, headers=None) -> Response:
    zh, en = TITLES.get(status_code, ("错误", "Error"))
    default = DETAIL_DEFAULT.get(status_code)
    body = {"type": PROBLEM_TYPE + SLUGS.get(status_code, "error"), "title": en if english() else zh,
            "status": status_code,
            "detail": str(detail) if detail else (default[1 if english() else 0] if default else (en if english() else zh))}
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers, content_type="application/problem+json")
    return response


def _messages(exc) -> list[str]:
    return [str(m) for m in getattr(exc, "messages", None) or [str(exc)]]


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "；".join(f"{k}: {_flatten(v)}" if k != "non_field_errors" else _flatten(v) for k, v in detail.items())
    if isinstance(detail, list):
        return "；".join(_flatten(v) for v in detail)
    return str(detail)


def problem_handler(exc, context):
    """DRF's exception handler, answering every error as a problem document."""
    if isinstance(exc, TransitionNotAllowed):
        return problem(409, "当前状态不允许此操作。")
    if isinstance(exc, DjangoValidationError):
        messages = _messages(exc)
        code = 409 if any(m in STATE_MESSAGES for m in messages) else 422
        return problem(code, "；".join(messages))
    if isinstance(exc, DjangoPermissionDenied):
        return problem(403, "；".join(_messages(exc)) or None)
    if isinstance(exc, Http404):
        return problem(404)
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return problem(400, _flatten(exc.detail), errors=errors, headers=headers)
    if isinstance(exc, exceptions.NotFound):
        return problem(404, headers=headers)
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        code = status.HTTP_401_UNAUTHORIZED if "WWW-Authenticate" in headers else 403
        return problem(code, getattr(exc, "detail", None) if isinstance(exc, exceptions.AuthenticationFailed)
                       else None, headers=headers)
    return problem(code, _flatten(getattr(exc, "detail", "")) or None, headers=headers)
