"""Invariants the database holds for monitoring data, whatever code writes it."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from monitoring.models import Deployment, LicenseServer, SessionStatus
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    LicenseServerFactory,
    SessionFactory,
    UsageSampleFactory,
)

pytestmark = pytest.mark.django_db


def test_two_servers_cannot_share_an_address():
    LicenseServerFactory(address="27000@flex1")
    with pytest.raises(IntegrityError), transaction.atomic():
        LicenseServer.objects.create(name="other", address="27000@flex1")


def test_a_checkout_is_open_only_once():
    session = SessionFactory(handle="101")
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(feature=session.feature, user=session.user, host=session.host, handle="101")


def test_the_same_checkout_may_reopen_once_the_first_is_archived():
    session = SessionFactory(handle="101")
    session.status, session.ended_at = SessionStatus.ARCHIVED, timezone.now()
    session.save()
    again = SessionFactory(feature=session.feature, user=session.user, host=session.host)
    again.handle = "101"
    again.save()
    assert again.status == SessionStatus.ACTIVE


def test_an_archived_session_has_an_end_and_an_active_one_has_none():
    session = SessionFactory()
    session.status = SessionStatus.ARCHIVED
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_one_usage_sample_per_feature_and_poll_instant():
    feature = FeatureFactory()
    now = timezone.now()
    UsageSampleFactory(feature=feature, sampled_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        UsageSampleFactory(feature=feature, sampled_at=now)


def test_saturation_is_in_use_over_issued_and_unknown_when_uncounted():
    assert FeatureFactory.build(issued=8, in_use=6).saturation == 0.75
    assert FeatureFactory.build(issued=None, in_use=3).saturation is None


def test_the_keystone_must_be_on_a_server_the_application_is_deployed_on():
    feature = FeatureFactory()
    application = ApplicationFactory()
    application.keystone_feature = feature
    with pytest.raises(IntegrityError), transaction.atomic():
        application.save()
    DeploymentFactory(application=application, server=feature.server)
    application.save()
    application.refresh_from_db()
    assert application.keystone_feature == feature


def test_removing_the_keystone_deployment_clears_the_keystone_even_outside_the_services():
    feature = FeatureFactory()
    deployment = DeploymentFactory(server=feature.server)
    application = deployment.application
    application.keystone_feature = feature
    application.save()
    Deployment.objects.filter(pk=deployment.pk).delete()
    application.refresh_from_db()
    assert application.keystone_feature is None


def test_an_application_with_a_keystone_deletes_with_its_deployments():
    feature = FeatureFactory()
    deployment = DeploymentFactory(server=feature.server)
    application = deployment.application
    application.keystone_feature = feature
    application.save()
    application.delete()
    assert not Deployment.objects.exists()
