"""Custom fields as real columns: build their peewee fields, add/drop the columns, keep the model classes current.

Every worker process keeps its model classes in step with the `custom_field` table: `current_number()` is one
read of a one-row table per request; only when that number moved are the definitions read and the classes
changed (see docs/custom-fields.md).
"""
import json
import threading

import peewee as pw
from playhouse import migrate as pm

from admin_app.services.fields import builtin_choices
from models import ArchiveRecord, Complaint, Customer, CustomField, Feedback, Repair, ReturnExchange, User, db
from models.custom_fields import FieldSchemaVersion

#: list endpoint -> model that takes custom fields
MODELS = {"customer": Customer, "archiverecord": ArchiveRecord, "feedback": Feedback, "complaint": Complaint,
          "repair": Repair, "returnexchange": ReturnExchange}
PREFIX = "cf_"
#: kinds stored as text: searchable; kinds with an order: sortable and indexed
TEXT_KINDS = ("text", "textarea", "multichoice")
ORDERED_KINDS = ("text", "integer", "decimal", "money", "date", "datetime", "boolean", "choice")

_lock = threading.RLock()
_applied = {"key": None, "defs": []}


def build_field(defn, for_column=False):
    """Return a new peewee field for a definition; `for_column` gives the always-nullable column's field."""
    null = True if for_column else not defn.required or defn.kind == "boolean"
    common = {"null": null, "column_name": defn.column}
    kind = defn.kind
    if kind in ("user", "customer"):
        target = User if kind == "user" else Customer
        field = pw.ForeignKeyField(target, on_delete="SET NULL", backref="+", lazy_load=True, **common)
        if for_column:  # the column's DDL names the referenced key; a model field learns it when bound
            field.rel_field = target._meta.primary_key
        field.lookup = kind  # filtered and edited in place through the AJAX look-up (views/filters.py, grid_edit)
        return field
    if kind == "choice":
        return pw.CharField(max_length=64, choices=choice_pairs(defn), **common)
    if kind == "multichoice":  # codes joined by commas; `multichoice` gives the filters their options
        field = pw.CharField(max_length=1000, **common)
        field.multichoice = choice_pairs(defn)
        return field
    factories = {
        "text": lambda: pw.CharField(max_length=255, **common),
        "textarea": lambda: pw.TextField(**common),
        "integer": lambda: pw.BigIntegerField(**common),
        "decimal": lambda: pw.DecimalField(max_digits=18, decimal_places=defn.decimals, auto_round=True, **common),
        "money": lambda: pw.DecimalField(max_digits=14, decimal_places=2, auto_round=True, **common),
        "date": lambda: pw.DateField(**common),
        "datetime": lambda: pw.DateTimeField(**common),
        "boolean": lambda: pw.BooleanField(**common),
    }
    return factories[kind]()


def choice_pairs(defn):
    """Return [(value, lazy label)] of every option, a retired one marked as such (stored values keep showing)."""
    from admin_app.services.fields.labels import option_label

    return [(o["value"], option_label(o)) for o in defn.options()]


def existing_columns(model):
    """Return the names of the columns the table has in the database."""
    return {c.name for c in db.get_columns(model._meta.table_name)}


def add_column(defn):
    """Add the field's column (and an index when it can be filtered or sorted); a present column is reused."""
    model = MODELS[defn.endpoint]
    table = model._meta.table_name
    migrator = pm.SchemaMigrator.from_database(db.obj)
    if defn.column not in existing_columns(model):
        pm.migrate(migrator.add_column(table, defn.column, build_field(defn, for_column=True)))
    ensure_index(defn)


def index_name(defn):
    """Return the name of a field's index."""
    return f"{MODELS[defn.endpoint]._meta.table_name}_{defn.column}"


def ensure_index(defn):
    """Create the field's index when it is filtered or sorted and its type has an order."""
    if defn.kind not in (*ORDERED_KINDS, "user", "customer") or not (defn.filterable or defn.sortable):
        return
    model = MODELS[defn.endpoint]
    names = {i.name for i in db.get_indexes(model._meta.table_name)}
    if index_name(defn) not in names:
        db.execute_sql(f'CREATE INDEX "{index_name(defn)}" ON "{model._meta.table_name}" ("{defn.column}")')


def drop_column(defn):
    """Drop the field's column and its index (the purge)."""
    model = MODELS[defn.endpoint]
    if defn.column in existing_columns(model):
        db.execute_sql(f'DROP INDEX IF EXISTS "{index_name(defn)}"')
        pm.migrate(pm.SchemaMigrator.from_database(db.obj).drop_column(model._meta.table_name, defn.column))


def bump():
    """Tell every worker the custom fields changed."""
    FieldSchemaVersion.bump()


def current_number():
    """Return the schema number, 0 when the table is missing (a database before migration 0004)."""
    try:
        return FieldSchemaVersion.current()
    except (pw.OperationalError, pw.ProgrammingError):
        return 0


def reset_models():
    """Take every custom field off the model classes (a new app starts from the built-in fields)."""
    with _lock:
        for model in MODELS.values():
            for name in [n for n in model._meta.fields if n.startswith(PREFIX)]:
                model._meta.remove_field(name)
        builtin_choices.reset()
        _applied["key"], _applied["defs"] = None, []


def applied_key():
    """Return the key (database, schema number) the model classes were last brought in line with."""
    return _applied["key"]


def applied_definitions():
    """Return the definitions the model classes were last brought in line with."""
    return list(_applied["defs"])


def definitions():
    """Return every custom-field definition (retired ones too: their values stay readable)."""
    return list(CustomField.select().order_by(CustomField.endpoint, CustomField.position, CustomField.id))


def sync_models(number=None):
    """Bring the model classes in line with the definitions when the schema number moved; return the key."""
    number = current_number() if number is None else number
    key = (id(db.obj), number)
    if _applied["key"] == key:
        return key
    with _lock:
        if _applied["key"] == key:
            return key
        found = definitions() if number else []
        for model in MODELS.values():
            for name in [n for n in model._meta.fields if n.startswith(PREFIX)]:
                model._meta.remove_field(name)
        for defn in found:
            model = MODELS.get(defn.endpoint)
            if model is not None:
                model._meta.add_field(defn.column, build_field(defn))
        builtin_choices.apply(None if number else [])
        _applied["key"], _applied["defs"] = key, found
    return key


def dump_options(options):
    """Return the JSON text stored for a list of options."""
    return json.dumps(options, ensure_ascii=False)
