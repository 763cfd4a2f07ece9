"""Commit a checked import in one transaction, write the sheet of rejected rows, expire abandoned previews."""
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin_app.db import write_transaction
from admin_app.services.exchange import xlsx_export as xw
from admin_app.services.exchange.import_plan import ImportRefused, tick
from admin_app.services.exchange.importer import CHUNK, NATURAL_KEYS
from admin_app.services.trust import history
from models import ImportBatch, now

#: bound parameters per INSERT: under SQLite's limit (32766) and PostgreSQL's (65535)
BATCH_VARIABLES = 16_000
ACTION_LABELS = {"new": _l("New"), "update": _l("Update"), "unchanged": _l("Unchanged"),
                 "conflict": _l("Conflict"), "error": _l("Error")}


def commit(model, plan, after=None, actor=None, progress=None, cancelled=None):
    """Write every new and updated row of a checked Plan in one transaction, with history, in batched inserts.

    Returns {action: count}. Raises ImportRefused (nothing written) when the plan has errors, a row changed or a
    new row's key was taken since the preview, or cancelled() said stop (ImportCancelled); any other failure
    also rolls everything back. `after(ids)` runs inside the transaction with the ids written (a view's follow-up
    such as regrading); actor is (user id, username) for the change log; progress(done, total) is optional.
    """
    if not plan.committable:
        raise ImportRefused(_l("Nothing was imported: correct the rows with errors first.") if plan.count("error")
                            else _l("Nothing to import: tick the conflict rows whose file value you want to take."))
    new = [row for row in plan.rows if row.action == "new"]
    updates = [row for row in plan.rows if row.action == "update"]
    total, stamp, entries = len(new) + len(updates), now(), []
    with write_transaction():
        _refuse_taken_keys(model, new)
        fields = [f for f in model._meta.sorted_fields if f is not model._meta.primary_key]
        size = max(1, BATCH_VARIABLES // len(fields))
        for start in range(0, len(new), size):
            tick(progress, cancelled, start, total)
            entries += _insert(model, fields, new[start:start + size], stamp)
        for done, result in enumerate(updates, start=len(new)):
            if done % size == 0:
                tick(progress, cancelled, done, total)
            entries.append(_update(model, result, stamp))
        history.record_many(model._meta.table_name, entries, actor)
        if after is not None:
            after([r.record_id for r in plan.rows if r.action in ("new", "update")])
        tick(progress, cancelled, total, total)
    return {action: plan.count(action) for action in ("new", "update", "unchanged", "conflict")}


def _insert(model, fields, rows, stamp):
    """Insert rows in one statement; set their record ids; return their change-log entries."""
    records = [model(**row.values) for row in rows]
    for record in records:
        record.created_at = record.updated_at = stamp
    values = [tuple(record.__data__.get(f.name) for f in fields) for record in records]
    ids = model.insert_rows(fields, values)
    entries = []
    for row, record, record_id in zip(rows, records, ids, strict=True):
        row.record_id = record.id = record_id
        entries.append((record_id, "create", None, history.snapshot(record)))
    return entries


def _update(model, result, stamp):
    """Update one row if it still has the version the preview read; return its change-log entry."""
    expected = result.base_version
    changed = {name: result.values[name] for name in result.changes}
    done = (model.update(**changed, version=expected + 1, updated_at=stamp)
            .where(model.id == result.record_id, model.version == expected).execute())
    if not done:
        raise ImportRefused(_l("Row %(row)d changed while importing; nothing was imported.", row=result.number))
    return result.record_id, "update", result.changes, None


def _refuse_taken_keys(model, new):
    """Refuse the commit when a record with a new row's natural key (a phone) was added since the preview."""
    key = NATURAL_KEYS.get(model)
    wanted = {row.values.get(key): row.number for row in new if row.values.get(key) is not None} if key else {}
    keys = list(wanted)
    for start in range(0, len(keys), CHUNK):
        column = getattr(model, key)
        taken = model.select(column).where(column.in_(keys[start:start + CHUNK])).limit(1).scalar()
        if taken is not None:
            raise ImportRefused(_l("Row %(row)d: a record with this value was added after the preview; upload "
                                   "the file again.", row=wanted[taken]))


def error_rows(plan):
    """Return the rows that will not be written: errors and conflicts."""
    return [row for row in plan.rows if row.action in ("error", "conflict")]


def write_error_sheet(target, plan):
    """Write the rejected rows with their sheet row number and reason, the original cells after them."""
    columns = [xw.Column("row", _("Row"), "number", width=8), xw.Column("action", _("Result"), width=10),
               xw.Column("reason", _("Reason"), width=60)]
    columns += [xw.Column(f"c{i}", header or f"#{i + 1}", width=16) for i, header in enumerate(plan.headers)]
    rows = ([row.number, str(ACTION_LABELS[row.action]), "; ".join(row.errors), *row.raw] for row in error_rows(plan))
    sheet = xw.Sheet(_("Rejected rows"), columns, rows, [_("Rows not imported from sheet %(name)s", name=plan.sheet)])
    xw.write_workbook(target, [sheet])
    return sheet.count


def source_of(batch):
    """Return where a preview keeps its uploaded file: read again only when new custom fields change the check."""
    return Path(batch.stored_as).with_suffix(".src")


def forget(batch):
    """Delete a preview's stored plan and uploaded file."""
    Path(batch.stored_as).unlink(missing_ok=True)
    source_of(batch).unlink(missing_ok=True)


def expire_previews(before):
    """Delete the stored files of previews never committed and started before a moment; return how many."""
    stale = list(ImportBatch.select().where(ImportBatch.status == "preview", ImportBatch.created_at < before))
    for batch in stale:
        forget(batch)
    if stale:
        ImportBatch.update(status="expired").where(ImportBatch.id.in_([b.id for b in stale])).execute()
    return len(stale)
