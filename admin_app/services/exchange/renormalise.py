"""Bring values stored before the value layer existed to their normalised form (NFKC, trimmed), with history."""
import peewee as pw

from admin_app import validators as v
from admin_app.db import write_transaction
from admin_app.services.trust import history
from models import RECORD_MODELS, Customer

CHUNK = 2000


def text_fields(model):
    """Return the free-text fields of a model (choices and foreign keys hold codes, not typed text)."""
    return [f for f in model._meta.sorted_fields
            if isinstance(f, pw.CharField | pw.TextField) and not f.choices and f.name != "grade_reasons"]


def pending(model):
    """Yield (id, {field: [stored, normalised]}) for each row whose stored text is not normalised."""
    fields = text_fields(model)
    last = 0
    while True:
        rows = list(model.select(model.id, *fields).where(model.id > last).order_by(model.id).limit(CHUNK).tuples())
        if not rows:
            return
        for record_id, *values in rows:
            changes = {f.name: [value, v.normalise(value, isinstance(f, pw.TextField))]
                       for f, value in zip(fields, values, strict=True) if isinstance(value, str)}
            changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
            if changes:
                yield record_id, changes
        last = rows[-1][0]


def renormalise(models=(Customer, *RECORD_MODELS), apply=False, actor=(None, "system")):
    """Return {table: rows whose text is not normalised}; with apply, rewrite them in one transaction, logged."""
    counts = {}
    for model in models:
        found = list(pending(model))
        counts[model._meta.table_name] = len(found)
        if not apply or not found:
            continue
        with write_transaction():
            for record_id, changes in found:
                model.update({name: new for name, (_old, new) in changes.items()} | {"version": model.version + 1}) \
                    .where(model.id == record_id).execute()
            history.record_many(model._meta.table_name, [(rid, "update", ch, None) for rid, ch in found], actor)
    return counts
