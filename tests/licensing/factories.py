"""Factories for licensing tests (other apps' tests may import them too)."""

import hashlib
from datetime import timedelta

import factory
from django.utils import timezone

from licensing.models import (
    Activation,
    Anomaly,
    ClientEvent,
    Customer,
    License,
    LicenseSession,
    Product,
    Release,
    Resource,
)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n} GmbH")
    email = factory.Sequence(lambda n: f"admin{n}@customer.test")
    contact_name = "Erika Mustermann"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Product {n}")
    single_session = True
    heartbeat_interval = 60
    session_timeout = 300


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    product = factory.SubFactory(ProductFactory)
    version = factory.Sequence(lambda n: f"1.{n}.0")
    release_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    download_url = factory.LazyAttribute(lambda r: f"https://example.test/download/{r.version}")
    release_notes = "Bug fixes and performance improvements"


def _key(n: int) -> str:
    digest = hashlib.sha256(str(n).encode()).hexdigest().upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


class LicenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = License

    key = factory.Sequence(_key)
    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    type = "perpetual"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    max_activations = 5
    max_users = 10


class ActivationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activation

    license = factory.SubFactory(LicenseFactory)
    hardware_hash = factory.Sequence(lambda n: f"hw-{n:06d}")
    machine_name = factory.Sequence(lambda n: f"DESKTOP-{n:04d}")
    app_version = "1.0.0"


class LicenseSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenseSession

    activation = factory.SubFactory(ActivationFactory)
    license = factory.SelfAttribute("activation.license")
    machine_id = factory.SelfAttribute("activation.machine_name")
    version = "1.0.0"


# --- staff side (issue 8) -------------------------------------------------------------------


class ResourceFactory(factory.django.DjangoModelFactory):
    """An available pool resource; pass ``type`` and a matching ``identifier`` as needed."""

    class Meta:
        model = Resource

    type = "domain"
    identifier = factory.Sequence(lambda n: f"pool-{n:05d}.example.com")


class AnomalyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anomaly

    type = "unusual_activation_pattern"
    license = factory.SubFactory(LicenseFactory)
    subject = factory.LazyAttribute(lambda a: f"license:{a.license.pk}")
    license_key = factory.LazyAttribute(lambda a: a.license.key)
    evidence = factory.LazyFunction(lambda: {"events": 9, "threshold": 6})


class ClientEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientEvent

    kind = "heartbeat"
    result = "ok"
