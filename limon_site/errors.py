"""Domain errors raised by services; the API turns them into the standard error envelope.

Services raise ``LimonError`` (or a subclass) with a machine code; views never build error
bodies by hand.
"""

from typing import Any


class LimonError(Exception):
    status = 400
    code = "BAD_REQUEST"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details or {}
        self.headers = headers or {}


class ValidationFailed(LimonError):
    status = 400
    code = "VALIDATION_ERROR"


class NotFound(LimonError):
    status = 404
    code = "NOT_FOUND"


class Conflict(LimonError):
    status = 409
    code = "CONFLICT"


class Forbidden(LimonError):
    status = 403
    code = "FORBIDDEN"


class RateLimited(LimonError):
    status = 429
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any):
        kwargs.setdefault("headers", {})["Retry-After"] = str(max(1, int(retry_after)))
        kwargs.setdefault("details", {})["retry_after"] = max(1, int(retry_after))
        super().__init__(message, **kwargs)
