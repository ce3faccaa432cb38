"""Factories for the CRM's tests (through the models; services are exercised by the tests)."""

import factory
from django.utils import timezone

from leads.models import Activity, Contact, ContactDetail, Institution, Note, NoteVersion


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    type = "university"
    country = "DE"
    city = "Berlin"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    institution = factory.SubFactory(InstitutionFactory)
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    position = "IT Manager"


class DetailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactDetail

    contact = factory.SubFactory(ContactFactory)
    type = "email"
    value = factory.Sequence(lambda n: f"person{n}@example.com")
    label = "Work"


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    content = "Initial contact"
    created_by = "admin"
    updated_by = "admin"

    @factory.post_generation
    def first_version(obj, create, extracted, **kwargs):
        if create:
            NoteVersion.objects.create(
                note=obj, version=1, content=obj.content, created_by=obj.created_by
            )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    institution = factory.SubFactory(InstitutionFactory)
    type = "call"
    summary = "Call"
    occurred_at = factory.LazyFunction(timezone.now)
    created_by = "admin"
