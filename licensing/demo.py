"""Demo data for the licensing side (``manage.py seed_demo``): idempotent — running it again
finds everything by name or key and creates nothing twice."""

from datetime import timedelta

from django.utils import timezone

from licensing.models import Activation, Customer, License, LicenseSession, Product, Release
from licensing.services import activations, catalogue, customers, licenses, sessions

DEMO_ACTOR = "system:demo"

CUSTOMERS = [
    ("ACME Corp", "admin@acme.com", "Wile E. Coyote", "+1 555 0100"),
    ("Globex GmbH", "it@globex.example", "Hank Scorpio", "+49 30 123456"),
    ("Initech Ltd", "licensing@initech.example", "Bill Lumbergh", "+44 20 7946 0000"),
]

PRODUCTS = [
    {
        "name": "Account Forger",
        "single_session": True,
        "heartbeat_interval": 60,
        "session_timeout": 300,
        "releases": [
            ("1.0.0", 120, False, "First release"),
            ("1.1.0", 60, False, "Bug fixes and performance improvements"),
            ("1.2.0", 5, True, "Security fix: update required"),
        ],
        "minimum_version": "1.0.0",
    },
    {
        "name": "Survey Studio",
        "single_session": False,
        "heartbeat_interval": 120,
        "session_timeout": 600,
        "releases": [("2.0.0", 90, False, "New editor"), ("2.1.0-beta.1", 3, False, "Preview")],
        "minimum_version": "",
    },
]

# key, customer index, product name, type, days valid (None: perpetual), max activations, users
LICENSES = [
    ("DEMO-ACME-0001-AF01", 0, "Account Forger", "perpetual", None, 5, 1),
    ("DEMO-ACME-0002-SS01", 0, "Survey Studio", "subscription", 200, 10, 5),
    ("DEMO-GLBX-0001-AF02", 1, "Account Forger", "subscription", 10, 2, 1),
    ("DEMO-INIT-0001-SS02", 2, "Survey Studio", "trial", 14, 1, 1),
]

DEVICES = [
    ("DEMO-ACME-0001-AF01", "demo-hw-acme-01", "ACME-LAPTOP-01", "1.2.0", True),
    ("DEMO-ACME-0001-AF01", "demo-hw-acme-02", "ACME-DESKTOP-02", "1.1.0", False),
    ("DEMO-ACME-0002-SS01", "demo-hw-acme-03", "ACME-WS-03", "2.0.0", True),
    ("DEMO-GLBX-0001-AF02", "demo-hw-glbx-01", "GLOBEX-PC-01", "1.2.0", True),
    ("DEMO-GLBX-0001-AF02", "demo-hw-glbx-02", "GLOBEX-PC-02", "1.2.0", False),
]


def seed(stdout=None) -> None:
    today = timezone.localdate()
    people = []
    for name, email, contact, phone in CUSTOMERS:
        customer = Customer.objects.filter(name=name).first() or customers.create_customer(
            name=name, email=email, contact_name=contact, phone=phone, actor=DEMO_ACTOR
        )
        people.append(customer)

    for spec in PRODUCTS:
        product = Product.objects.filter(name=spec["name"]).first() or catalogue.create_product(
            name=spec["name"],
            single_session=spec["single_session"],
            heartbeat_interval=spec["heartbeat_interval"],
            session_timeout=spec["session_timeout"],
            actor=DEMO_ACTOR,
        )
        for version, days_ago, mandatory, notes in spec["releases"]:
            if not Release.objects.filter(product=product, version=version).exists():
                catalogue.create_release(
                    product=product,
                    version=version,
                    release_date=today - timedelta(days=days_ago),
                    download_url=f"https://downloads.example.com/{product.pk}/{version}",
                    release_notes=notes,
                    is_mandatory=mandatory,
                    actor=DEMO_ACTOR,
                )
        if spec["minimum_version"] and not product.minimum_version:
            catalogue.update_product(
                product=product, minimum_version=spec["minimum_version"], actor=DEMO_ACTOR
            )

    for key, who, product_name, kind, days, max_activations, max_users in LICENSES:
        if License.objects.filter(key=key).exists():
            continue
        licenses.create_license(
            key=key,
            customer=people[who],
            product=Product.objects.get(name=product_name),
            type=kind,
            valid_from=today - timedelta(days=60),
            valid_until=today + timedelta(days=days) if days else None,
            max_activations=max_activations,
            max_users=max_users,
            actor=DEMO_ACTOR,
        )

    for key, hardware_hash, machine, version, with_session in DEVICES:
        if Activation.objects.filter(license__key=key, hardware_hash=hardware_hash).exists():
            continue
        activations.activate_license(
            key=key,
            hardware_hash=hardware_hash,
            machine_name=machine,
            app_version=version,
            actor=DEMO_ACTOR,
        )
        open_session = LicenseSession.objects.filter(
            license__key=key, ended_at__isnull=True
        ).exists()
        if with_session and not open_session:
            sessions.start_session(
                key=key,
                hardware_hash=hardware_hash,
                machine_id=machine,
                version=version,
                actor=DEMO_ACTOR,
            )
    if stdout:
        stdout.write(
            f"  {Customer.objects.count()} customers, {Product.objects.count()} products, "
            f"{License.objects.count()} licenses, {Activation.objects.count()} activations"
        )
