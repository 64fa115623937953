"""The kommune's population, to set who took part against who lives there.

One :class:`PopulationTable` per municipality and kind: the whole kommune from SSB table
07459 (one-year ages, both sexes) and the kommune's districts (grunnkrets or its own) from a
second file. Its :class:`PopulationCell` rows are counts of people of one sex ("" for both)
in an age range (one year when ``age_from == age_to``; ``age_to`` None for "and older";
both None for all ages) in a district ("" for the whole kommune).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TableKind(models.TextChoices):
    KOMMUNE = "kommune", _("Whole municipality (SSB 07459)")
    DISTRICTS = "districts", _("Districts")


class PopulationTable(models.Model):
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="population_tables"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TableKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=200)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("population table")
        verbose_name_plural = _("population tables")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind"], name="insights_population_table_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TableKind.values), name="insights_population_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.kind} {self.year}"


class PopulationCell(models.Model):
    table = models.ForeignKey(PopulationTable, on_delete=models.CASCADE, related_name="cells")
    sex = models.CharField(_("sex"), max_length=6, blank=True)  # "female", "male", "" both
    age_from = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("inhabitants"))

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(sex__in=["", "female", "male"]), name="insights_cell_sex_valid"
            ),
            models.CheckConstraint(
                condition=Q(age_to__isnull=True) | Q(age_from__lte=F("age_to")),
                name="insights_cell_age_range",
            ),
        ]
        indexes = [models.Index(fields=["table", "district"])]

    def __str__(self) -> str:
        return (
            f"{self.district or '*'} {self.sex or '*'} {self.age_from}-{self.age_to}: {self.count}"
        )


class _WithoutPdf(models.Manager["PublishedReport"]):
    def get_queryset(self) -> models.QuerySet[PublishedReport]:
        return super().get_queryset().defer("pdf")


class PublishedReport(models.Model):
    """The case's council report as published on the case page.

    Staff publish it; a task makes the PDF (a large case takes half a minute) and keeps it
    here, so a resident who opens it never waits for it and cannot make the server make it.
    Making it again replaces it. Who published it is in the audit log.
    """

    process = models.OneToOneField(
        "processes.Process", on_delete=models.CASCADE, related_name="published_report"
    )
    requested_at = models.DateTimeField()
    made_at = models.DateTimeField(null=True, blank=True)  # None: being made
    pdf = models.BinaryField(default=bytes, blank=True)
    filename = models.CharField(max_length=200, blank=True)

    objects = models.Manager()
    # The case pages ask ``process.published_report.made_at``: without the PDF's bytes.
    without_pdf = _WithoutPdf()

    class Meta:
        base_manager_name = "without_pdf"
        verbose_name = _("published council report")
        verbose_name_plural = _("published council reports")

    def __str__(self) -> str:
        return f"{self.process_id}: {self.made_at or 'being made'}"
