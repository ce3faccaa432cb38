"""Start-up wiring of the staff side: demo pools (idempotent) and the admin command."""

import io

import pytest
from django.core.management import call_command

from licensing.models import Anomaly, License, Resource
from tests.licensing.factories import ActivationFactory, LicenseFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeder_fills_the_pools_once_and_allocates_to_demo_licenses():
    seed = ("seed_demo", "--only", "licensing", "licensing-pools")
    call_command(*seed, stdout=io.StringIO())
    counts = (Resource.objects.count(), Resource.objects.filter(status="allocated").count())
    call_command(*seed, stdout=io.StringIO())
    assert (Resource.objects.count(), Resource.objects.filter(status="allocated").count()) == counts
    acme = License.objects.get(key="DEMO-ACME-0001-AF01")
    assert set(acme.resources.values_list("identifier", flat=True)) == {
        "demo01.example.com",
        "192.0.2.10",
    }


def test_scan_anomalies_runs_as_an_admin_command(admin_api):
    for license in LicenseFactory.create_batch(3):
        ActivationFactory(license=license, hardware_hash="hopper")
    response = admin_api.post("/api/admin/command/scan_anomalies", {}, format="json")
    assert response.status_code == 200
    assert response.json()["result"]["new"] == 1
    assert Anomaly.objects.get().subject == "device:hopper"
