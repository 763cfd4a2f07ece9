"""Set-based grading: the rules of `grading.grade_customer` as SQL, for previews and one-transaction updates.

Money is compared in whole cents and the ratio as an integer fraction, so SQLite's floating point
gives the same answer as the Decimal arithmetic of `grade_customer` (tested row by row).
"""
import datetime as dt
import functools
import operator

import peewee as pw
from peewee import fn

from admin_app.db import is_sqlite, write_transaction
from admin_app.services.grading import rules
from admin_app.services.settings import store as settings_store
from models import Customer, GradeHistory, now

MOVER_LIMIT = 200


def current_settings():
    """Return the thresholds in force: the rule settings named "grading_<threshold>" (seed defaults)."""
    stored = settings_store.current()
    return rules.settings_with_defaults({name: stored["grading_" + name] for name in rules.SETTING_NAMES})


def _param(value):
    # sqlite3 stores dates as ISO text (peewee's format); PostgreSQL wants a typed parameter.
    if is_sqlite() and isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return value.isoformat() if is_sqlite() and isinstance(value, dt.date) else value


def _nullable(value, sql_type):
    return pw.Cast(_text(value) if value is not None else None, sql_type)


def _cents(field):
    return pw.Cast(fn.ROUND(field * 100), "BIGINT")


def _text(value):
    return pw.Value(value, converter=False)


#: one bit per trigger (in the seed's order), then the designation
BITS = {code: 1 << i for i, code in enumerate(rules.TRIGGERS)}
TRIGGER_MASK = (1 << len(rules.TRIGGERS)) - 1
DESIGNATION_BITS = {"A": 1 << len(rules.TRIGGERS), "B": 1 << (len(rules.TRIGGERS) + 1)}


class RuleSQL:
    """The grading rules for one set of thresholds and one day as SQL.

    `mask` evaluates every rule once per customer into an integer (a bit per trigger and per designation);
    grade, reasons and due date are cheap functions of that integer, so each row's rules run only once.
    """

    def __init__(self, settings=None, today=None):
        self.cfg = rules.settings_with_defaults(settings)
        self.today = today or dt.date.today()
        self.conditions = self._conditions()
        parts = [pw.Case(None, [(cond, BITS[code])], 0) for code, cond in self.conditions.items()]
        parts.append(pw.Case(Customer.designation, [(_text(k), v) for k, v in DESIGNATION_BITS.items()], 0))
        self.mask = functools.reduce(operator.add, parts)

    def _conditions(self):
        cfg, c = self.cfg, Customer
        receivable, trade = _cents(c.receivable), _cents(c.trade_volume_12m)
        numerator, denominator = rules.ratio_fraction(cfg["receivable_ratio"])
        cutoff = rules.new_customer_cutoff(self.today, cfg["new_customer_months"])
        return {
            "wholesaler": c.is_wholesaler == True,  # noqa: E712 - peewee builds SQL from ==
            "receivable_high": (receivable >= rules.cents(cfg["receivable_high"]))
            & (c.designation.is_null() | (c.designation != "A")),
            "receivable_ratio": (receivable > 0) & (receivable <= rules.cents(cfg["receivable_low"]))
            & (receivable * denominator >= trade * numerator),
            "small_company": (c.customer_type == "store")
            | ((c.customer_type == "company") & c.staff_count.is_null(False) & (c.staff_count <= cfg["small_staff"])),
            "prior_incident": c.prior_incident == True,  # noqa: E712
            "bad_reputation": c.bad_reputation == True,  # noqa: E712
            "new_customer": c.first_trade_date.is_null(False) & (c.first_trade_date > _param(cutoff)),
        }

    @staticmethod
    def _has(mask, bits):
        return mask.bin_and(bits) != 0

    def grade_of(self, mask):
        """Return the grade for a mask expression."""
        return pw.Case(None, [(self._has(mask, TRIGGER_MASK), _text("C")),
                              (self._has(mask, DESIGNATION_BITS["A"]), _text("A")),
                              (self._has(mask, DESIGNATION_BITS["B"]), _text("B"))], _text("C"))

    def reasons_of(self, mask):
        """Return the stored reason codes for a mask expression."""
        joined = None
        for code in rules.TRIGGERS:
            part = pw.Case(None, [(self._has(mask, BITS[code]), _text(code + ","))], _text(""))
            joined = part if joined is None else joined.concat(part)
        last = pw.Case(None, [(~self._has(mask, sum(DESIGNATION_BITS.values())), _text("not_designated,")),
                              (self._has(mask, TRIGGER_MASK), _text(""))], _text("designated,"))
        return fn.RTRIM(joined.concat(last), _text(","))

    def due_of(self, mask):
        """Return the next report due date for a mask expression."""
        dates = {grade: _param(rules.next_report_due(grade, self.today)) for grade in rules.GRADES}
        return pw.Case(self.grade_of(mask), [(_text("A"), dates["A"]), (_text("B"), dates["B"])], dates["C"])


def _scope(query):
    """Return a WHERE condition for the customers of `query` (None: every customer)."""
    if query is None:
        return pw.SQL("1 = 1")
    return Customer.id.in_(query.select(Customer.id).order_by())


def _graded(rule, scope):
    """Return a materialised CTE: each customer in scope with its current grade and its rule mask."""
    return (Customer.select(Customer.id, Customer.name, Customer.grade, Customer.grade_reasons, rule.mask.alias("m"))
            .where(scope).cte("graded", materialized=True))


def preview(query=None, settings=None, today=None, limit=MOVER_LIMIT):
    """Return what a recompute would do: movement counts, reason-only changes and the first movers."""
    rule = RuleSQL(settings if settings is not None else current_settings(), today)
    graded = _graded(rule, _scope(query))
    new = rule.grade_of(graded.c.m)
    inner = (pw.Select([graded], [graded.c.grade.alias("old"), new.alias("new"),
                                  pw.Case(None, [(graded.c.grade_reasons != rule.reasons_of(graded.c.m), 1)], 0)
                                  .alias("rc")]).with_cte(graded))
    grouped = (pw.Select([inner.alias("moves")], [pw.SQL("old"), pw.SQL("new"), fn.COUNT(pw.SQL("*")),
                                                  fn.SUM(pw.SQL("rc"))])
               .group_by(pw.SQL("old"), pw.SQL("new")).bind(Customer._meta.database))
    movements, reasons_only, total = [], 0, 0
    for old, new_grade, count, changed_reasons in grouped.tuples():
        total += count
        if old != new_grade:
            movements.append({"old": old, "new": new_grade, "count": count})
        else:
            reasons_only += int(changed_reasons or 0)
    movements.sort(key=lambda m: (m["old"], m["new"]))
    movers = (pw.Select([graded], [graded.c.id, graded.c.name, graded.c.grade.alias("old_grade"),
                                   new.alias("new_grade"), rule.reasons_of(graded.c.m).alias("new_reasons")])
              .with_cte(graded).where(graded.c.grade != new).order_by(graded.c.id).limit(limit)
              .bind(Customer._meta.database))
    return {"total": total, "movements": movements, "movers": list(movers.dicts()), "reasons_only": reasons_only,
            "moving": sum(m["count"] for m in movements)}


class Regrade(pw.Model):
    """Scratch table of one recompute: each customer in scope, its old values and its rule mask."""

    customer_id = pw.IntegerField(primary_key=True)
    old_grade = pw.CharField(max_length=1)
    old_reasons = pw.CharField(max_length=255)
    old_due = pw.DateField(null=True)
    mask = pw.IntegerField()
    new_grade = pw.CharField(max_length=1, null=True)
    new_reasons = pw.CharField(max_length=255, null=True)
    new_due = pw.DateField(null=True)

    class Meta:
        table_name = "grading_regrade_tmp"


HISTORY_FIELDS = [GradeHistory.customer, GradeHistory.old_grade, GradeHistory.new_grade, GradeHistory.reasons,
                  GradeHistory.source, GradeHistory.designation, GradeHistory.remark, GradeHistory.user,
                  GradeHistory.username, GradeHistory.at, GradeHistory.created_at, GradeHistory.updated_at,
                  GradeHistory.version]


def _write_history(rule, where, source, actor, designation=None, remark=None):
    stamp = _param(now())
    rows = Regrade.select(
        Regrade.customer_id, Regrade.old_grade, Regrade.new_grade, Regrade.new_reasons,
        _text(source), _nullable(designation, "VARCHAR(1)"), _nullable(remark, "TEXT"), _nullable(actor[0], "INTEGER"),
        _text(actor[1]), stamp, stamp, stamp, 1,
    ).where(where)
    GradeHistory.insert_from(rows, HISTORY_FIELDS).execute()


def _update_customers():
    """Write the new values from the scratch table; return how many customers changed.

    Three passes, each assigning only the columns that changed, because SQLite rewrites the index
    entries of every assigned column (grade has two indexes, the due date one) even when the value stays.
    """
    r = Regrade
    same_grade = r.old_grade == r.new_grade
    due_changed = r.old_due.is_null() | (r.old_due != r.new_due)
    passes = [
        (~same_grade, {Customer.grade: r.new_grade, Customer.grade_reasons: r.new_reasons,
                       Customer.next_report_due: r.new_due}),
        (same_grade & due_changed, {Customer.grade_reasons: r.new_reasons, Customer.next_report_due: r.new_due}),
        (same_grade & ~due_changed & (r.old_reasons != r.new_reasons), {Customer.grade_reasons: r.new_reasons}),
    ]
    stamp, updated = _param(now()), 0
    for where, values in passes:
        # graded_at says when; updated_at stays for edits (a monthly due-date roll is not an edit);
        # the version still moves so an edit form opened before the recompute cannot write the old grade back
        values = {**values, Customer.graded_at: stamp, Customer.version: Customer.version + 1}
        updated += Customer.update(values).from_(r).where((Customer.id == r.customer_id) & where).execute()
    return updated


def _fill(rule, scope, keep_unchanged):
    """Fill the scratch table: old values and the rule mask (rules run once per row), then the new values."""
    r = Regrade
    r.insert_from(Customer.select(Customer.id, Customer.grade, Customer.grade_reasons, Customer.next_report_due,
                                  rule.mask).where(scope),
                  [r.customer_id, r.old_grade, r.old_reasons, r.old_due, r.mask]).execute()
    r.update(new_grade=rule.grade_of(r.mask), new_reasons=rule.reasons_of(r.mask), new_due=rule.due_of(r.mask)) \
        .execute()
    if not keep_unchanged:
        r.delete().where((r.old_grade == r.new_grade) & (r.old_reasons == r.new_reasons)
                         & r.old_due.is_null(False) & (r.old_due == r.new_due)).execute()


def _regrade(rule, scope, source, actor, history_all=False, **extra):
    """Regrade the customers in scope set-based; write history for changes (or all); return counts."""
    database = Customer._meta.database
    Regrade._meta.set_database(database)
    database.create_tables([Regrade], temporary=True)
    try:
        _fill(rule, scope, keep_unchanged=history_all)
        r = Regrade
        moved = r.select().where(r.old_grade != r.new_grade).count()
        changed = (r.old_grade != r.new_grade) | (r.old_reasons != r.new_reasons)
        _write_history(rule, pw.SQL("1 = 1") if history_all else changed, source, actor, **extra)
        updated = _update_customers()
    finally:
        database.drop_tables([Regrade], safe=True)
    return {"moved": moved, "updated": updated}


def apply(query=None, settings=None, today=None, actor=(None, "system"), source="recompute"):
    """Recompute the grades of `query`'s customers (None: all) in one transaction; return the counts."""
    rule = RuleSQL(settings if settings is not None else current_settings(), today)
    with write_transaction():
        return _regrade(rule, _scope(query), source, actor)


def designate(ids, value, remark, actor=(None, "system"), settings=None, today=None):
    """Set (or clear) the supervisor designation of customers, regrade them and record it; return the count."""
    if value not in (*rules.DESIGNATIONS, None):
        raise ValueError(value)
    if not (remark or "").strip():
        raise ValueError("remark")
    ids = [int(i) for i in ids]
    rule = RuleSQL(settings if settings is not None else current_settings(), today)
    scope = Customer.id.in_(ids)
    with write_transaction():
        count = Customer.update(designation=value, version=Customer.version + 1).where(scope).execute()
        _regrade(rule, scope, "designation", actor, history_all=True, designation=value or "-",
                 remark=remark.strip())
    return count


def regrade_instance(customer, settings=None, today=None):
    """Set one unsaved customer's grade, reasons and due date from its facts; return (old, new)."""
    old = customer.grade
    grade, reasons = rules.grade_customer(customer.facts(), settings if settings is not None
                                          else current_settings(), today)
    customer.grade, customer.grade_reasons = grade, rules.join_reasons(reasons)
    customer.next_report_due = rules.next_report_due(grade, today)
    customer.graded_at = now()
    return old, grade
