"""Response shapes of the people endpoints: users, departments, usage and chargeback. The
figures come from ``monitoring.queries_people``; these only name and document them."""

from __future__ import annotations

from rest_framework import serializers

from monitoring.api.read_serializers import ApplicationRefSerializer, SessionReadSerializer
from monitoring.models import LicenseUser

#: Directory (AD/LDAP) attributes lifted to top-level fields when present.
DIRECTORY_FIELDS = ("title", "office", "manager", "phone", "company")


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UserSerializer(serializers.ModelSerializer):
    department = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    office = serializers.SerializerMethodField()
    manager = serializers.SerializerMethodField()
    directory = serializers.DictField(
        read_only=True, help_text="Every attribute the directory sync stored (may be empty)"
    )
    sessions = serializers.IntegerField(
        source="period_sessions", read_only=True, help_text="Sessions in the window"
    )
    #: A plain string: its choice set would collide with the session ``source`` enum.
    source = serializers.CharField(read_only=True, help_text="poll, log, ad or manual")
    license_hours = serializers.SerializerMethodField(help_text="Seat-hours in the window")
    active_sessions = serializers.IntegerField(read_only=True, help_text="Held now")
    window_days = serializers.SerializerMethodField(help_text="Window of the figures, in days")

    class Meta:
        model = LicenseUser
        fields = ["id", "username", "display_name", "email", "department", "title", "office",
                  "manager", "directory", "source", "first_seen_at", "last_seen_at",
                  "last_synced_at", "sessions", "license_hours", "active_sessions",
                  "window_days"]  # fmt: skip
        read_only_fields = fields

    def get_department(self, user) -> DepartmentRefSerializer(allow_null=True):
        department = user.department
        return {"id": department.pk, "name": department.name} if department else None

    def _directory(self, user, key: str) -> str | None:
        value = (user.directory or {}).get(key)
        return None if value in (None, "") else str(value)

    def get_title(self, user) -> str | None:
        return self._directory(user, "title")

    def get_office(self, user) -> str | None:
        return self._directory(user, "office")

    def get_manager(self, user) -> str | None:
        return self._directory(user, "manager")

    def get_license_hours(self, user) -> float:
        return round((user.license_seconds or 0) / 3600, 2)

    def get_window_days(self, user) -> int:
        return self.context.get("window_days", 30)


class UserStatsSerializer(serializers.Serializer):
    sessions = serializers.IntegerField()
    license_hours = serializers.FloatField()
    distinct_features = serializers.IntegerField()
    days_active = serializers.IntegerField(help_text="Local days with some use")
    active_sessions = serializers.IntegerField(help_text="Held now")


class TopFeatureSerializer(serializers.Serializer):
    feature_id = serializers.IntegerField()
    feature = serializers.CharField(help_text="Feature code")
    display_name = serializers.CharField(help_text="Through the feature mappings")
    server = serializers.CharField()
    sessions = serializers.IntegerField()
    license_hours = serializers.FloatField()
    users = serializers.IntegerField(help_text="Distinct users")
    last_used = serializers.DateField(help_text="Last local day of use in the period")


class LastUsedSerializer(serializers.Serializer):
    feature_id = serializers.IntegerField()
    feature = serializers.CharField()
    server = serializers.CharField()
    last_used = serializers.DateField(help_text="Last local day of use (all time)")
    days_since_last_use = serializers.IntegerField(help_text="From today; 0 when held now")


class UserDayPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    sessions = serializers.IntegerField()
    license_hours = serializers.FloatField()


class DayPointSerializer(UserDayPointSerializer):
    users = serializers.IntegerField(help_text="Distinct users")


class _PeriodSerializer(serializers.Serializer):
    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(help_text="First local day")
        fields["to"] = serializers.DateField(help_text="Last local day (included)")
        return fields


class UserActivitySerializer(_PeriodSerializer):
    username = serializers.CharField()
    stats = UserStatsSerializer()
    top_features = TopFeatureSerializer(many=True, help_text="By license-hours")
    last_used = LastUsedSerializer(many=True, help_text="Every feature ever used, latest first")
    daily = UserDayPointSerializer(many=True, help_text="Every day of the period")
    recent_sessions = SessionReadSerializer(many=True)


class DepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null for (none)")
    name = serializers.CharField(help_text="'(none)': users without a department")
    cost_center = serializers.CharField(allow_blank=True)
    users = serializers.IntegerField()
    active_users = serializers.IntegerField(help_text="With some use in the period")
    sessions = serializers.IntegerField()
    license_hours = serializers.FloatField()
    share = serializers.FloatField(help_text="Percent of all license-hours of the period")
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text="Chargeback (one currency)"
    )
    amounts = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        help_text="Chargeback per currency",
    )
    currency = serializers.CharField(allow_null=True)


class DepartmentStatsSerializer(serializers.Serializer):
    active_users = serializers.IntegerField()
    sessions = serializers.IntegerField()
    license_hours = serializers.FloatField()


class DepartmentTopUserSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(allow_blank=True)
    sessions = serializers.IntegerField()
    license_hours = serializers.FloatField()


class DepartmentActivitySerializer(_PeriodSerializer):
    department = serializers.CharField()
    stats = DepartmentStatsSerializer()
    daily = DayPointSerializer(many=True)
    top_features = TopFeatureSerializer(many=True)
    top_users = DepartmentTopUserSerializer(many=True)


class UsageRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Feature code, username, server name or ISO day")
    sessions = serializers.IntegerField(help_text="Checkouts started in the period")
    license_hours = serializers.FloatField()
    users = serializers.IntegerField(help_text="Distinct users (1 for a user group)")
    peak = serializers.IntegerField(help_text="Peak concurrency, see the docs for each group")
    feature_id = serializers.IntegerField(required=False)
    display_name = serializers.CharField(required=False)
    server = serializers.CharField(required=False)
    server_id = serializers.IntegerField(required=False)
    department = serializers.CharField(required=False)


class ChargebackRowSerializer(serializers.Serializer):
    department_id = serializers.IntegerField(allow_null=True)
    department = serializers.CharField()
    license_hours = serializers.FloatField()
    share = serializers.FloatField(help_text="Percent of the charged license-hours")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    amounts = serializers.DictField(child=serializers.DecimalField(max_digits=16, decimal_places=2))
    currency = serializers.CharField(allow_null=True)


class ChargebackSerializer(_PeriodSerializer):
    application = ApplicationRefSerializer(allow_null=True)
    currency = serializers.CharField(allow_null=True, help_text="Null when mixed")
    license_hours = serializers.FloatField(help_text="Charged license-hours in total")
    results = ChargebackRowSerializer(many=True)
