"""Demo leads for ``manage.py seed_demo``: three dozen institutions spread over the pipeline,
with contacts, details, notes (some edited) and activities. Idempotent: an institution that
already exists is left alone."""

import random
from datetime import timedelta

import phonenumbers
from django.utils import timezone

from leads import services
from leads.models import ActivityType, Institution

ACTOR = "demo"

INSTITUTIONS = [
    ("Technische Universität Adlershof", "university", "DE", "Berlin"),
    ("Universität Heidelbach", "university", "DE", "Heidelberg"),
    ("Rheinwerk Maschinenbau GmbH", "company", "DE", "Köln"),
    ("Bundesamt für Messwesen", "government", "DE", "Bonn"),
    ("Nordlicht Energie AG", "company", "DE", "Hamburg"),
    ("Université de Lyon Sud", "university", "FR", "Lyon"),
    ("Aéro Systèmes SA", "company", "FR", "Toulouse"),
    ("Institut National du Calcul", "government", "FR", "Paris"),
    ("Politecnico di Brera", "university", "IT", "Milano"),
    ("Ferro Design S.p.A.", "company", "IT", "Torino"),
    ("Universidad de Castilla Norte", "university", "ES", "Valladolid"),
    ("Ingeniería Mar Azul S.L.", "company", "ES", "Valencia"),
    ("TU Eindhaven", "university", "NL", "Eindhoven"),
    ("Deltawerken Consult B.V.", "company", "NL", "Rotterdam"),
    ("ETH Seeland", "university", "CH", "Zürich"),
    ("Alpen Präzision AG", "company", "CH", "Bern"),
    ("Technical University of Vienna East", "university", "AT", "Wien"),
    ("Donau Simulation GmbH", "company", "AT", "Linz"),
    ("University of Northbridge", "university", "GB", "Manchester"),
    ("Kestrel Aerospace Ltd", "company", "GB", "Bristol"),
    ("Met Services Agency", "government", "GB", "Exeter"),
    ("Lakeshore State University", "university", "US", "Chicago"),
    ("Pioneer Robotics Inc.", "company", "US", "Pittsburgh"),
    ("National Grid Research Lab", "government", "US", "Denver"),
    ("Bayside Institute of Technology", "university", "US", "San Francisco"),
    ("Maple Leaf Hydro Corp.", "company", "CA", "Montréal"),
    ("University of the Prairies", "university", "CA", "Winnipeg"),
    ("Fjord Offshore AS", "company", "NO", "Bergen"),
    ("Kungliga Tekniska Akademien", "university", "SE", "Stockholm"),
    ("Suomi Sensor Oy", "company", "FI", "Espoo"),
    ("Warsaw Polytechnic West", "university", "PL", "Warszawa"),
    ("Vltava Engineering s.r.o.", "company", "CZ", "Praha"),
    ("Osaka Institute of Fluid Dynamics", "university", "JP", "Osaka"),
    ("Southern Cross Mining Pty Ltd", "company", "AU", "Perth"),
    ("City of Harbourview IT Office", "government", "AU", "Sydney"),
    ("Open Source Maker Collective", "other", "DE", "Leipzig"),
]

STATUSES = ["new", "contacted", "qualified", "proposal", "won", "lost"]
FIRST_NAMES = ["Anna", "Jonas", "Marie", "Luca", "Sofia", "Noah", "Emma", "Ben", "Clara", "Ali"]
LAST_NAMES = ["Keller", "Martin", "Rossi", "García", "de Vries", "Novak", "Smith", "Berg", "Kim"]
POSITIONS = ["IT Manager", "Head of Engineering", "Procurement", "CAE Lead", "CIO", "Professor"]
SOURCES = ["trade fair", "website", "referral", "webinar", "cold call"]
NOTES = [
    "Interested in floating licenses for the simulation lab.",
    "Budget decision expected next quarter.",
    "Asked for a quote covering 40 seats.",
    "Prefers on-premise installation, no cloud.",
]
ACTIVITY_SUMMARIES = {
    ActivityType.CALL: "Intro call about license usage",
    ActivityType.MEETING: "Demo of the monitoring dashboard",
    ActivityType.EMAIL: "Sent pricing sheet",
}


def _phone(country: str, rng: random.Random) -> str:
    example = phonenumbers.example_number(country)
    if example is None:
        return ""
    national = str(example.national_number)
    for _ in range(20):
        tail = "".join(rng.choice("0123456789") for _ in range(3))
        candidate = phonenumbers.parse(f"+{example.country_code}{national[:-3]}{tail}")
        if phonenumbers.is_valid_number(candidate):
            return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())[:12] or "lead"


def seed(stdout=None) -> None:
    rng = random.Random(9)  # the same demo every time
    today = timezone.localdate()
    created = 0
    for index, (name, kind, country, city) in enumerate(INSTITUTIONS):
        status = STATUSES[index % len(STATUSES)]
        if Institution.objects.filter(name__iexact=name, country=country).exists():
            continue
        institution = services.create_institution(
            actor=ACTOR,
            name=name,
            type=kind,
            country=country,
            city=city,
            website=f"https://www.{_slug(name)}.example",
            source=rng.choice(SOURCES),
            tags=rng.sample(["cae", "cad", "hpc", "education", "renewal", "pilot"], 2),
            next_follow_up=(
                today + timedelta(days=rng.randint(-5, 20))
                if status not in ("won", "lost")
                else None
            ),
        )
        for position_index in range(rng.randint(1, 3)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if institution.contacts.filter(first_name=first, last_name=last).exists():
                continue
            domain = f"{_slug(name)}.example"
            details = [
                {
                    "type": "email",
                    "value": f"{_slug(first)}.{_slug(last)}@{domain}",
                    "label": "Work",
                }
            ]
            phone = _phone(country, rng)
            if phone:
                details.append({"type": "phone", "value": phone, "label": "Office"})
            contact = services.create_contact(
                institution=institution,
                actor=ACTOR,
                first_name=first,
                last_name=last,
                position=POSITIONS[(index + position_index) % len(POSITIONS)],
                details=details,
            )
            if position_index == 0:
                services.add_note(contact=contact, content=rng.choice(NOTES), actor=ACTOR)
        note = services.add_note(institution=institution, content=rng.choice(NOTES), actor=ACTOR)
        if index % 3 == 0:
            services.edit_note(note=note, content=note.content + " Follow-up agreed.", actor=ACTOR)
        for _ in range(rng.randint(1, 3)):
            kind_of_activity = rng.choice(list(ACTIVITY_SUMMARIES))
            services.log_activity(
                institution=institution,
                type=kind_of_activity,
                summary=ACTIVITY_SUMMARIES[kind_of_activity],
                occurred_at=timezone.now() - timedelta(days=rng.randint(0, 60)),
                actor=ACTOR,
            )
        for step in STATUSES[1 : STATUSES.index(status) + 1]:
            if step == "lost" and status == "lost":
                services.change_status(institution=institution, status="lost", actor=ACTOR)
            elif step != "lost" and not (status == "lost" and step == "won"):
                services.change_status(institution=institution, status=step, actor=ACTOR)
        if status == "won" and index < 12:
            services.convert_to_customer(institution=institution, actor=ACTOR)
        created += 1
    if stdout is not None:
        stdout.write(f"  {created} demo institutions created")
