"""Database handle and the base model every record inherits."""
import datetime as dt

import peewee as pw

db = pw.DatabaseProxy()


def now():
    """Return the current local time without microseconds."""
    return dt.datetime.now().replace(microsecond=0)


class RecordIdField(pw.AutoField):
    """A primary key that is never reused, so history and restores stay unambiguous."""

    def ddl(self, ctx):
        nodes = super().ddl(ctx)
        # The model's own database, so frozen copies in migrations follow the database they run on.
        database = self.model._meta.database
        if isinstance(getattr(database, "obj", database), pw.SqliteDatabase):
            return pw.NodeList((nodes, pw.SQL("AUTOINCREMENT")))
        return nodes


class BaseModel(pw.Model):
    """Common columns: creation and update time and an optimistic-lock version."""

    id = RecordIdField()
    created_at = pw.DateTimeField(default=now, index=True)
    updated_at = pw.DateTimeField(default=now)
    version = pw.IntegerField(default=1)

    class Meta:
        database = db

    @classmethod
    def insert_rows(cls, fields, rows, returning=True):
        """Insert rows (tuples of Python values, in `fields` order) in one statement; return their ids in order.

        The SQL is one string with a placeholder per value: peewee's insert_many builds a node per value, which
        costs more than the database's own work on large imports.
        """
        database = cls._meta.database
        quote = database.quote[0] + "{}" + database.quote[1]  # peewee keeps the quote characters, e.g. '""'
        one = "(" + ", ".join([database.param] * len(fields)) + ")"
        params = _db_values(fields, rows)
        sql = (f"INSERT INTO {quote.format(cls._meta.table_name)} "
               f"({', '.join(quote.format(f.column_name) for f in fields)}) VALUES {', '.join([one] * len(rows))}")
        if not returning:
            database.execute_sql(sql, params)
            return []
        cursor = database.execute_sql(f"{sql} RETURNING {quote.format(cls._meta.primary_key.column_name)}", params)
        return [found[0] for found in cursor.fetchall()]

    @classmethod
    def field_choices(cls, name):
        """Return the choice list of a field, or None."""
        return getattr(cls._meta.fields[name], "choices", None)


#: columns whose values the drivers take as they are when already of this type (db_value would not change them)
NATIVE = {pw.CharField: str, pw.TextField: str, pw.IntegerField: int, pw.BooleanField: bool}


def _db_values(fields, rows):
    """Return the rows' values flattened in order, each as its field's db_value gives it.

    A column whose values are all None or already of the driver's type is left as it is: one call per value
    costs more than the database's own work on a large import.
    """
    for row in rows:
        if len(row) != len(fields):
            raise ValueError("each row needs one value per field")
    params, width = [value for row in rows for value in row], len(fields)
    for at, field in enumerate(fields):
        column = params[at::width]
        native = NATIVE.get(type(field))
        if native is None or any(value is not None and type(value) is not native for value in column):
            params[at::width] = [field.db_value(value) for value in column]
    return params


def bounded(field, min_value=None, max_value=None, max_length=None):
    """Give a field app-level bounds that every form, in-place edit and import enforces; return the field.

    `max_length` caps a TextField (which has no database length); admin_app/validators.py reads all three.
    """
    for attr, value in (("min_value", min_value), ("max_value", max_value), ("max_length", max_length)):
        if value is not None:
            setattr(field, attr, value)
    return field
