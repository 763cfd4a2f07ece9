"""Figures computed in the background and kept for every web process to read (issue 15)."""
import peewee as pw

from models.base import BaseModel


class DashboardSnapshot(BaseModel):
    """The dashboard's year-long figures of one period, as of when the queue worker computed them.

    One row per period ('2025-12..2026-11'); `figures` is their JSON (admin_app/services/workflow/dashboard.py).
    """

    period = pw.CharField(max_length=32, unique=True)
    as_of = pw.DateTimeField()
    seconds = pw.FloatField(default=0)  # how long computing them took
    figures = pw.TextField()

    class Meta:
        table_name = "dashboard_snapshot"
