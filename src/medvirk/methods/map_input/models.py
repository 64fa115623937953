"""The map method's own rows: school classes with their codes, teachers' links, and the
named places of the list alternative.

None of them holds a person: a class is a school, a grade and a label ("4A"); pupils join
without accounts or names, and their marks are contributions carrying the school and grade.
Who created a class is in the audit log, not here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from medvirk.processes.models import MethodInstance


class TeacherLink(models.Model):
    """A private link (``laerar/<token>/``) a teacher at one school uses to make class codes
    without logging in. The token is derived from ``nonce`` (see ``links``)."""

    method_instance = models.ForeignKey(
        MethodInstance, on_delete=models.CASCADE, related_name="map_teacher_links"
    )
    school = models.CharField(_("school"), max_length=120)
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("school", "pk")

    def __str__(self) -> str:
        return self.school


class SchoolClass(models.Model):
    """A class taking part with a code; its pupils' marks carry ``school`` and ``grade``."""

    method_instance = models.ForeignKey(
        MethodInstance, on_delete=models.CASCADE, related_name="map_classes"
    )
    school = models.CharField(_("school"), max_length=120)
    grade = models.PositiveSmallIntegerField(_("grade"))
    label = models.CharField(_("class"), max_length=20, blank=True)
    # Short, without look-alike characters (no 0/O, 1/I/L), unique everywhere.
    code = models.CharField(max_length=12, unique=True)
    teacher_link = models.ForeignKey(
        TeacherLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="classes"
    )
    joined = models.PositiveIntegerField(default=0)  # times a pupil joined with the code
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("school", "grade", "label", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=("method_instance", "school", "grade", "label"),
                name="map_input_one_class_per_label",
            ),
        )

    def __str__(self) -> str:
        return f"{self.school} {self.grade}{self.label}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Place(models.Model):
    """A named place the kommune uploaded (a school, a crossing, a park, a street)."""

    method_instance = models.ForeignKey(
        MethodInstance, on_delete=models.CASCADE, related_name="map_places"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of place"), max_length=60, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        ordering = ("name", "pk")
        indexes = (models.Index(fields=("method_instance", "name")),)

    def __str__(self) -> str:
        return self.name
