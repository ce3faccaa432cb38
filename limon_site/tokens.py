"""JWTs minted by LiMon (HS256 with SECRET_KEY). A token carries its scopes and an expiry; the
analytics token of the licensing API, for example, carries only ``read``."""

import uuid
from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings

ISSUER = "limon"


class InvalidToken(Exception):
    pass


def mint(
    *, subject: str, scopes: list[str], lifetime_seconds: int | None = None
) -> tuple[str, datetime]:
    lifetime = lifetime_seconds or settings.LIMON_JWT_LIFETIME_SECONDS
    now = datetime.now(UTC)
    expires_at = now + timedelta(seconds=lifetime)
    payload = {
        "iss": ISSUER,
        "sub": subject,
        "scopes": scopes,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, settings.SECRET_KEY, algorithm="HS256"), expires_at


def decode(token: str) -> dict:
    try:
        return jwt.decode(
            token,
            settings.SECRET_KEY,
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("expired") from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken("invalid") from exc
