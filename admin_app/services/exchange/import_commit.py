"""Commit a checked import in one transaction, write the sheet of rejected rows, expire abandoned previews."""
from pathlib import Path

import peewee as pw
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin_app.db import write_transaction
from admin_app.services.exchange import import_sql as isql
from admin_app.services.exchange import xlsx_export as xw
from admin_app.services.exchange.import_plan import ImportRefused, gc_paused, tick
from admin_app.services.exchange.importer import NATURAL_KEYS
from admin_app.services.trust import history
from models import ImportBatch, now

#: bound parameters per INSERT: under SQLite's limit (32766) and PostgreSQL's (65535)
BATCH_VARIABLES = 16_000
#: change-log entries per INSERT (11 columns each: 11,000 parameters)
HISTORY_ROWS = 1_000
#: set on every row the commit writes (never imported: importer.NEVER_IMPORTED)
STAMPED = ("created_at", "updated_at")
#: fields whose values history stores as they are (history._plain changes dates and amounts only)
PLAIN_FIELDS = (pw.CharField, pw.TextField, pw.IntegerField, pw.BooleanField, pw.ForeignKeyField, pw.FloatField)
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
    with gc_paused():
        return _commit(model, plan, after, actor, progress, cancelled)


def _commit(model, plan, after, actor, progress, cancelled):
    """Write the plan's rows in one transaction (commit's body)."""
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
        history.record_many(model._meta.table_name, entries, actor, chunk=HISTORY_ROWS)
        if after is not None:
            after([r.record_id for r in plan.rows if r.action in ("new", "update")])
        tick(progress, cancelled, total, total)
    return {action: plan.count(action) for action in ("new", "update", "unchanged", "conflict")}


def _insert(model, fields, rows, stamp):
    """Insert rows in one statement; set their record ids; return their change-log entries.

    Each row is its values over the fields' defaults, as model(**values) would hold them, without building a
    model instance per row; its snapshot is the one history.snapshot would take of that instance.
    """
    names = [f.name for f in fields]
    fixed = {f.name: f.default for f in fields if f.default is not None and not callable(f.default)}
    made = [(f.name, f.default) for f in fields if callable(f.default) and f.name not in STAMPED]
    stamps = dict.fromkeys(STAMPED, stamp)
    tuples = []
    for row in rows:
        data = {**fixed, **row.values, **stamps}
        for name, make in made:
            if name not in row.values:
                data[name] = make()
        tuples.append(tuple(map(data.get, names)))
    ids = model.insert_rows(fields, tuples)
    order = [f.name for f in model._meta.sorted_fields]
    at = order.index(model._meta.primary_key.name)
    plain = [i for i, f in enumerate(model._meta.sorted_fields) if not isinstance(f, PLAIN_FIELDS)]
    entries = []
    for row, values, record_id in zip(rows, tuples, ids, strict=True):
        row.record_id = record_id
        snap = [*values[:at], record_id, *values[at:]]
        for i in plain:
            snap[i] = history._plain(snap[i])
        entries.append((record_id, "create", None, dict(zip(order, snap, strict=True))))
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
    for part in isql.chunks(wanted):
        column = getattr(model, key)
        taken = model.select(column).where(isql.in_list(column, part)).limit(1).scalar()
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
