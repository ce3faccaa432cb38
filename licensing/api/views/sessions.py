"""Session endpoints (seed 004): start, heartbeat, end."""

from datetime import timedelta

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from licensing import queries
from licensing.api import serializers as s
from licensing.api.views.client import SIGNED, TAGS, ClientView
from licensing.services import sessions
from licensing.settings_section import settings as licensing_settings
from limon_site.api.schema import errors


class SessionStartView(ClientView):
    @extend_schema(
        tags=TAGS,
        request=s.SessionStartRequestSerializer,
        responses={200: s.SessionStartResponseSerializer, **errors(400, 401, 403, 404, 409)},
        description=(
            "Start a session on an activated device. A single-session product answers a second "
            'live session with 409 `SESSION_LIMIT` ("Es ist nur eine Sitzung erlaubt...", '
            "English in `details.message_en`); other products allow `max_users` live sessions. "
            "A new start from the same device replaces its previous session. Heartbeat every "
            "`heartbeat_interval` seconds, before `expires_at`. " + SIGNED
        ),
    )
    def post(self, request):
        data = s.SessionStartRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        started = sessions.start_session(
            key=values["license_key"],
            hardware_hash=values["hardware_hash"],
            machine_id=values["machine_id"],
            version=values["version"],
            actor=request.user,
        )
        session, product = started.session, started.product
        update = queries.update_info(product, values["version"])
        window = licensing_settings()["heartbeat_window_seconds"]
        body = {
            "success": True,
            "message": "Session started",
            "session_token": session.token,
            "started_at": session.started_at,
            "heartbeat_interval": max(product.heartbeat_interval, window),
            "heartbeat_window": window,
            "session_timeout": product.session_timeout,
            "expires_at": sessions.deadline(session, product),
            "replaced_sessions": started.replaced,
            "update_available": update.update_available,
            "latest_version": update.latest_version,
            "download_url": update.download_url if update.update_available else "",
            "release_notes": update.release_notes if update.update_available else "",
            "is_mandatory": update.is_mandatory,
        }
        return Response(s.SessionStartResponseSerializer(body).data)


class HeartbeatView(ClientView):
    @extend_schema(
        tags=TAGS,
        request=s.HeartbeatRequestSerializer,
        responses={200: s.HeartbeatResponseSerializer, **errors(400, 401, 403, 404, 409, 429)},
        description=(
            "Keep the session alive. 429 `HEARTBEAT_RATE_LIMITED` with `Retry-After` for more "
            "than one heartbeat per window (seed: 1 per minute per activation); 409 "
            "`SESSION_ENDED` once the session ended or timed out (start a new one). " + SIGNED
        ),
    )
    def post(self, request):
        data = s.HeartbeatRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = sessions.heartbeat(
            token=data.validated_data["session_token"],
            key=data.validated_data.get("license_key"),
        )
        product = session.license.product
        window = licensing_settings()["heartbeat_window_seconds"]
        interval = max(product.heartbeat_interval, window)
        body = {
            "success": True,
            "session_token": session.token,
            "last_heartbeat": session.last_heartbeat,
            "next_heartbeat_due": session.last_heartbeat + timedelta(seconds=interval),
            "expires_at": sessions.deadline(session, product),
            "heartbeat_interval": interval,
        }
        return Response(s.HeartbeatResponseSerializer(body).data)


class SessionEndView(ClientView):
    @extend_schema(
        tags=TAGS,
        request=s.SessionEndRequestSerializer,
        responses={200: s.SessionEndResponseSerializer, **errors(400, 401, 403, 404)},
        description=(
            "End the session; answers its duration and end reason. Ending an ended session "
            "repeats the original answer with `already_ended: true`. " + SIGNED
        ),
    )
    def post(self, request):
        data = s.SessionEndRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended = sessions.end_session(
            token=data.validated_data["session_token"],
            key=data.validated_data.get("license_key"),
            actor=request.user,
        )
        session = ended.session
        body = {
            "success": True,
            "message": "Session ended" if ended.ended_now else "Session had already ended",
            "session_token": session.token,
            "started_at": session.started_at,
            "ended_at": session.ended_at,
            "duration_seconds": session.duration_seconds,
            "end_reason": session.end_reason,
            "already_ended": not ended.ended_now,
        }
        return Response(s.SessionEndResponseSerializer(body).data)
