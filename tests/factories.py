"""Factories shared by every app's tests (apps add theirs in tests/<app>/factories.py)."""

import factory
from django.contrib.auth import get_user_model

from limon_site import api_keys


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True


def make_api_key(scope: str = "admin", **kwargs) -> tuple:
    """(ApiKey, clear key) created through the real service."""
    kwargs.setdefault("name", f"{scope} test key")
    return api_keys.create_api_key(scope=scope, **kwargs)
