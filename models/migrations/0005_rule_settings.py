"""Rule settings in one table with their change log, holiday years, recompute log; grading thresholds moved in."""
import peewee as pw

from models.base import RecordIdField, now

#: the old grading_settings columns and the rule settings they become
MOVED = {"receivable_high": "grading_receivable_high", "receivable_low": "grading_receivable_low",
         "receivable_ratio": "grading_receivable_ratio", "min_staff": "grading_small_staff",
         "new_customer_months": "grading_new_customer_months"}


def _base(db, name):
    class Meta:
        database = db
        table_name = name

    return {"id": RecordIdField(), "created_at": pw.DateTimeField(index=True, default=now),
            "updated_at": pw.DateTimeField(default=now), "version": pw.IntegerField(default=1), "Meta": Meta}


def up(migrator, db):
    user = type("User", (pw.Model,), {"id": RecordIdField(), "Meta": type("Meta", (), {"database": db,
                                                                                        "table_name": "users"})})
    who = {"user": pw.ForeignKeyField(user, null=True, on_delete="SET NULL"),
           "username": pw.CharField(max_length=64, default=""), "at": pw.DateTimeField(index=True, default=now)}
    setting = type("RuleSetting", (pw.Model,), {**_base(db, "rule_setting"),
                                                "key": pw.CharField(max_length=48, unique=True),
                                                "value": pw.CharField(max_length=64)})
    change = type("RuleSettingChange", (pw.Model,), {**_base(db, "rule_setting_change"),
                                                     "key": pw.CharField(max_length=48, index=True),
                                                     "old_value": pw.CharField(max_length=64),
                                                     "new_value": pw.CharField(max_length=64), **who})
    year = type("HolidayYear", (pw.Model,), {**_base(db, "holiday_year"), "year": pw.IntegerField(unique=True),
                                             "source": pw.CharField(max_length=16, default="package"),
                                             "username": pw.CharField(max_length=64, default="")})
    log = type("RecomputeLog", (pw.Model,), {**_base(db, "recompute_log"),
                                             "reason": pw.CharField(max_length=16, index=True),
                                             "detail": pw.CharField(max_length=255, default=""),
                                             "changed": pw.IntegerField(default=0), **who})
    db.create_tables([setting, change, year, log])
    _move_grading(db, setting, change)


def _move_grading(db, setting, change):
    """Copy the grading thresholds and their history into the rule settings, then drop the old tables."""
    tables = db.get_tables()
    if "grading_settings" in tables:
        cols = ", ".join(MOVED)
        row = db.execute_sql(f"SELECT {cols} FROM grading_settings ORDER BY id LIMIT 1").fetchone()
        if row is not None:
            values = dict(zip(MOVED, row, strict=True))
            # the old rule read "fewer than N staff", the new one "N or fewer" (20人以下): a value an admin chose
            # keeps its meaning as N - 1; the seed's own 20 becomes the seed's reading
            staff = int(values["min_staff"])
            values["min_staff"] = staff if staff == 20 else max(staff - 1, 0)
            setting.insert_many([{"key": MOVED[k], "value": _text(v)} for k, v in values.items()]).execute()
    if "grading_settings_change" in tables:
        rows = db.execute_sql("SELECT setting, old_value, new_value, user_id, username, at "
                              "FROM grading_settings_change").fetchall()
        change.insert_many([{"key": MOVED.get(r[0], r[0]), "old_value": r[1], "new_value": r[2], "user": r[3],
                             "username": r[4], "at": r[5]} for r in rows]).execute() if rows else None
        db.execute_sql("DROP TABLE grading_settings_change")
    if "grading_settings" in tables:
        db.execute_sql("DROP TABLE grading_settings")


def _text(value):
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def down(migrator, db):
    for name in ("recompute_log", "holiday_year", "rule_setting_change", "rule_setting"):
        migrator.migrate(migrator.drop_table(name))
