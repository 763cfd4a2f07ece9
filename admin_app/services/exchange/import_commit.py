"""Commit a checked import in one transaction, write the sheet of rejected rows, expire abandoned previews."""
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin_app.db import write_transaction
from admin_app.services.exchange import xlsx_export as xw
from admin_app.services.exchange.importer import ImportRefused
from admin_app.services.trust import history
from models import ImportBatch, now

ACTION_LABELS = {"new": _l("New"), "update": _l("Update"), "unchanged": _l("Unchanged"),
                 "conflict": _l("Conflict"), "error": _l("Error")}


def commit(model, plan, after=None):
    """Write every new and updated row in one transaction, with history; raise ImportRefused otherwise.

    `after(ids)` runs inside the same transaction with the ids written (a view's follow-up such as regrading).
    """
    if not plan.committable:
        raise ImportRefused(_l("Nothing was imported: correct the rows with errors first."))
    stamp = now()
    with write_transaction():
        for result in plan.rows:
            if result.action == "new":
                record = model.create(**result.values)
                result.record_id = record.id
                history.record(record, "create", snap=history.snapshot(record))
            elif result.action == "update":
                _update(model, result, stamp)
        if after is not None:
            after([r.record_id for r in plan.rows if r.action in ("new", "update")])
    return {action: plan.count(action) for action in ("new", "update", "unchanged", "conflict")}


def _update(model, result, stamp):
    record = model.get_by_id(result.record_id)
    expected = result.base_version
    changed = {name: result.values[name] for name in result.changes}
    done = (model.update(**changed, version=expected + 1, updated_at=stamp)
            .where(model.id == record.id, model.version == expected).execute())
    if not done:
        raise ImportRefused(_l("Row %(row)d changed while importing; nothing was imported.", row=result.number))
    record.version = expected + 1
    history.record(record, "update", result.changes)


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


def expire_previews(before):
    """Delete the stored files of previews never committed and started before a moment; return how many."""
    stale = list(ImportBatch.select().where(ImportBatch.status == "preview", ImportBatch.created_at < before))
    for batch in stale:
        Path(batch.stored_as).unlink(missing_ok=True)
    if stale:
        ImportBatch.update(status="expired").where(ImportBatch.id.in_([b.id for b in stale])).execute()
    return len(stale)
