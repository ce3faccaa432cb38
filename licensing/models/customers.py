from django.db import models
from django.utils import timezone


class Customer(models.Model):
    """Who a license is sold to: a company (``name``) and its contact person."""

    name = models.CharField(max_length=200, help_text="Company or customer name, e.g. ACME Corp.")
    email = models.EmailField(blank=True, db_index=True)
    contact_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def text(self) -> str:
        """The seeds' Select2 label: ``"ACME Corp - admin@acme.com"``."""
        return f"{self.name} - {self.email}" if self.email else self.name
