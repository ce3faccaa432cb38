"""``/api/v1/config/*`` sections owned by monitoring: polling (``monitoring``), status tool
paths (``tools``, with a validation endpoint), the global feature ignore lists, the debug-log
import (``log-import``) and usage analytics (``analytics``).

Reads and writes go through ``limon_site.config`` like the platform's own sections: PUT
changes only the keys it sends, the section's validator answers 400 with per-field errors,
and every change is audited (who, when, old → new)."""

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site import config
from limon_site.api.schema import errors
from monitoring import tools
from monitoring.conf import ANALYTICS, FEATURE_IGNORE, LOG_IMPORT, MONITORING, TOOLS

TAGS = ["configuration"]


class MonitoringConfigSerializer(serializers.Serializer):
    poll_interval_minutes = serializers.IntegerField(required=False)
    poll_timeout_seconds = serializers.IntegerField(required=False)
    poll_concurrency = serializers.IntegerField(required=False)
    retention_days = serializers.IntegerField(required=False)
    saturation_threshold_percent = serializers.IntegerField(required=False)


class LogImportConfigSerializer(serializers.Serializer):
    false_denial_before_seconds = serializers.IntegerField(
        required=False, help_text="A denial is false when the user got the feature this long before"
    )
    false_denial_after_seconds = serializers.IntegerField(
        required=False, help_text="… or this long after it"
    )
    max_upload_mb = serializers.IntegerField(required=False, help_text="Larger uploads are 413")
    batch_lines = serializers.IntegerField(required=False, help_text="Lines per commit")


class AnalyticsConfigSerializer(serializers.Serializer):
    recommendation_days = serializers.IntegerField(
        required=False, help_text="Window of the P95 behind recommended seats"
    )
    headroom_percent = serializers.IntegerField(required=False, help_text="Added to the P95")
    peak_floor_business_days = serializers.IntegerField(
        required=False, help_text="Recommended seats never below this many business days' peak"
    )
    unused_days = serializers.IntegerField(required=False, help_text="Unused after this long")
    expiring_days = serializers.IntegerField(required=False, help_text="Expiring within")
    dashboard_cache_seconds = serializers.IntegerField(
        required=False, help_text="Dashboard metrics cache; 0 turns it off"
    )


class ToolsConfigSerializer(serializers.Serializer):
    lmutil_path = serializers.CharField(required=False, help_text="FlexNet lmutil")
    rlmutil_path = serializers.CharField(required=False, help_text="RLM rlmutil")


class FeatureIgnoreSerializer(serializers.Serializer):
    include = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Glob patterns polled"
    )
    exclude = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Glob patterns left out"
    )


class _SectionView(APIView):
    """GET the effective values of ``section``; PUT some of them. Ranges and formats are
    the section's validator's (``monitoring.conf``), so the panel's forms give the same
    answers."""

    section = ""
    serializer_class = serializers.Serializer

    def get(self, request):
        return Response(config.redacted(self.section))

    def put(self, request):
        data = self.serializer_class(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        config.update(self.section, data.validated_data, actor=request.user)
        return Response(config.redacted(self.section))


def _section_schema(serializer):
    return extend_schema_view(
        get=extend_schema(tags=TAGS, responses={200: serializer, **errors(401, 403)}),
        put=extend_schema(
            tags=TAGS, request=serializer, responses={200: serializer, **errors(400, 401, 403)}
        ),
    )


@_section_schema(MonitoringConfigSerializer)
class MonitoringConfigView(_SectionView):
    """Poll interval and timeout, concurrency, retention and the saturation threshold."""

    section = MONITORING
    serializer_class = MonitoringConfigSerializer


@_section_schema(ToolsConfigSerializer)
class ToolsConfigView(_SectionView):
    """The status tool of each license-manager kind: an absolute path or a name on PATH."""

    section = TOOLS
    serializer_class = ToolsConfigSerializer


@_section_schema(FeatureIgnoreSerializer)
class FeatureIgnoreConfigView(_SectionView):
    """Glob patterns over feature names applied to every server when polling."""

    section = FEATURE_IGNORE
    serializer_class = FeatureIgnoreSerializer


class ToolCheckSerializer(serializers.Serializer):
    setting = serializers.CharField(allow_null=True, help_text="Configured key checked, if any")
    kind = serializers.CharField(allow_null=True)
    path = serializers.CharField()
    resolved = serializers.CharField(allow_null=True)
    exists = serializers.BooleanField()
    executable = serializers.BooleanField()
    version = serializers.CharField(allow_null=True)
    ok = serializers.BooleanField()
    error = serializers.CharField(allow_null=True)


class ToolsValidateView(APIView):
    """Check that a tool exists, is executable and answers its version flag. The tool is run
    from an argument list with a time limit, never through a shell. Without ``path`` every
    configured tool is checked."""

    @extend_schema(
        tags=TAGS,
        request=inline_serializer(
            "ToolValidateRequest",
            {"path": serializers.CharField(required=False, help_text="Omit: check configured")},
        ),
        responses={
            200: inline_serializer(
                "ToolValidateResult",
                {"ok": serializers.BooleanField(), "results": ToolCheckSerializer(many=True)},
            ),
            **errors(400, 401, 403),
        },
    )
    def post(self, request):
        body = request.data if hasattr(request.data, "get") else {}
        path = body.get("path")
        if path is not None:
            path = serializers.CharField().run_validation(path)
            results = [{"setting": None, "kind": None, **tools.validate_tool(path)}]
        else:
            configured = config.get(TOOLS)
            results = [
                {
                    "setting": kind.config_key,
                    "kind": kind.kind,
                    **tools.validate_tool(
                        configured[kind.config_key], version_flag=kind.version_flag
                    ),
                }
                for kind in tools.TOOL_KINDS.values()
                if kind.config_key in configured
            ]
        return Response({"ok": all(r["ok"] for r in results), "results": results})


@_section_schema(LogImportConfigSerializer)
class LogImportConfigView(_SectionView):
    """The debug-log import: false-denial window, upload limit, batch size."""

    section = LOG_IMPORT
    serializer_class = LogImportConfigSerializer


@_section_schema(AnalyticsConfigSerializer)
class AnalyticsConfigView(_SectionView):
    """Usage analytics: recommended seats, unused and expiring licenses, dashboard cache."""

    section = ANALYTICS
    serializer_class = AnalyticsConfigSerializer
