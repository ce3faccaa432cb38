"""Factories for the monitoring tests (through the models; services are exercised by the tests)."""

import factory
from django.utils import timezone

from monitoring.models import (
    Application,
    Department,
    Deployment,
    Feature,
    FeatureMapping,
    LicenseServer,
    LicenseUser,
    Session,
    SessionStatus,
    Site,
    UsageSample,
    VendorDaemon,
)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Site {n}")
    code = factory.Sequence(lambda n: f"s{n}")


class LicenseServerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenseServer

    name = factory.Sequence(lambda n: f"server{n}")
    kind = "flexlm"
    address = factory.Sequence(lambda n: f"27000@lic{n}.example.com")
    site = factory.SubFactory(SiteFactory)


class VendorDaemonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorDaemon

    server = factory.SubFactory(LicenseServerFactory)
    name = factory.Sequence(lambda n: f"vendor{n}")


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feature

    server = factory.SubFactory(LicenseServerFactory)
    vendor = "MLM"
    name = factory.Sequence(lambda n: f"FEATURE_{n}")
    version = "1.0"
    issued = 10


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    name = factory.Sequence(lambda n: f"Application {n}")
    vendor = "Vendor"
    category = "CAE"


class DeploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deployment

    application = factory.SubFactory(ApplicationFactory)
    server = factory.SubFactory(LicenseServerFactory)
    seats = 10


class FeatureMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeatureMapping

    pattern = factory.Sequence(lambda n: f"FEATURE_{n}")
    display_name = factory.Sequence(lambda n: f"Feature {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class LicenseUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenseUser

    username = factory.Sequence(lambda n: f"user{n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    feature = factory.SubFactory(FeatureFactory)
    server = factory.SelfAttribute("feature.server")
    user = factory.SubFactory(LicenseUserFactory)
    host = factory.Sequence(lambda n: f"ws{n}")
    started_at = factory.LazyFunction(timezone.now)


class UsageSampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UsageSample

    feature = factory.SubFactory(FeatureFactory)
    server = factory.SelfAttribute("feature.server")
    sampled_at = factory.LazyFunction(timezone.now)
    issued = 10


def held(feature, user, start, end=None, licenses: int = 1) -> Session:
    """A session of ``user`` on ``feature`` from ``start`` to ``end`` (still held without one)."""
    return SessionFactory(
        feature=feature,
        user=user,
        started_at=start,
        ended_at=end,
        licenses=licenses,
        status=SessionStatus.ARCHIVED if end else SessionStatus.ACTIVE,
    )
