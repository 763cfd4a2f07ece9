"""Check an uploaded sheet against the database (new, update, unchanged, conflict, error); plain data in and out."""
import peewee as pw
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from admin_app.permissions import mask
from admin_app.services.exchange import import_conflicts as ic
from admin_app.services.exchange import import_sql as isql
from admin_app.services.exchange import import_values as iv
from admin_app.services.exchange.import_files import Formula, ImportFileError
from admin_app.services.exchange.import_plan import Plan, RowResult, gc_paused, tick
from admin_app.services.exchange.import_refs import REF_BOUNDS, Ref, References
from admin_app.services.trust import history
from models import Customer

#: never written from a sheet; status moves only through the workflow's buttons and their checks
NEVER_IMPORTED = frozenset({"id", "version", "created_at", "updated_at", "closed_at", "password_hash", "status"})
NATURAL_KEYS = {Customer: "phone"}
NOT_FIELDS = frozenset({"id", "version", "updated_at"})  # columns a sheet may carry that only match and date rows
HEADER_SCAN = 10
PROGRESS_EVERY = 1000


class Importer:
    """Check rows of one model against its fields' types and bounds, its validators and the database."""

    def __init__(self, spec, languages=("zh_Hans_CN", "en")):
        self.spec, self.model, self.languages = spec, spec.model, languages
        self.fields = [name for name in spec.fields if name not in NEVER_IMPORTED]
        self.readers = {name: self._reader(name, languages) for name in [*self.fields, "id", "version", "updated_at"]}
        self.required = [f.name for f in self.model._meta.sorted_fields
                         if f.name in self.fields and not f.null and f.default is None]
        self.natural_key = NATURAL_KEYS.get(self.model)
        if self.natural_key and self.natural_key in spec.masked:
            self.natural_key = None  # matching by a value the user sees masked would tell them it exists
        self.refs, self._check_cache = References(spec), {}
        self.point = None  # the change-log point of the export the sheet came from (check's marks)

    # --- headers ----------------------------------------------------------------------------
    def header_names(self, names=None):
        """Return {normalised header: field name} from field names and labels in every language.

        names: the fields to name (default: the importable ones and the matching columns).
        """
        known = {}
        for name in names if names is not None else [*self.fields, "id", "version", "updated_at"]:
            known[iv.normalise(name)] = name
            for language in self.languages:
                with force_locale(language):
                    known.setdefault(iv.normalise(self.spec.label(name)), name)
        return known

    def map_headers(self, sheets):
        """Return (sheet name, header row index, headers, {column index: field}, rows, merged) of the best sheet."""
        known, best = self.header_names(), None
        for name, rows, merged in sheets:
            for index, row in enumerate(rows[:HEADER_SCAN]):
                mapping = {}
                for col, cell in enumerate(row):
                    fld = known.get(iv.normalise(cell)) if not iv.is_blank(cell) else None
                    if fld and fld not in mapping.values():
                        mapping[col] = fld
                filled = sum(1 for cell in row if not iv.is_blank(cell))
                if len(mapping) >= min(2, filled) > 0 and (best is None or len(mapping) > len(best[3])):
                    best = (name, index, row, mapping, rows, merged)
        if best is None:
            raise ImportFileError(_l("No sheet has recognisable column headers for %(what)s (for example %(cols)s)."),
                                  what=self.spec.what, cols=", ".join(self.spec.label(n) for n in self.fields[:4]))
        if best[1] + 1 in best[5]:
            raise ImportFileError(_l("The header row has merged cells; unmerge them so each column has one header."))
        return best

    def repeated_headers(self, headers, mapping, known):
        """Return a message for each column whose header names a field an earlier column already imports."""
        first = {name: col for col, name in mapping.items()}
        repeated = []
        for col, cell in enumerate(headers):
            name = known.get(iv.normalise(cell)) if not iv.is_blank(cell) else None
            if name and first.get(name) != col:
                repeated.append(str(_l("Column %(col)s repeats the header “%(header)s” of column %(first)s; only "
                                       "column %(first)s is imported.", col=iv.column_letter(col),
                                       header=str(cell)[:40], first=iv.column_letter(first[name]))))
        return repeated

    # --- checking ---------------------------------------------------------------------------------
    def check(self, sheets, progress=None, cancelled=None, marks=None):
        """Return the Plan of an upload: every data row classified, nothing written.

        Rows holding only blanks or formulas are skipped; a formula in an imported column is an error of its row,
        one in a column not imported is ignored. progress(done, total) and cancelled() are optional callables;
        marks are the workbook's export marks (import_files.read_marks), which date a conflict's values.
        """
        with gc_paused():
            return self._check(sheets, progress, cancelled, marks)

    def _check(self, sheets, progress, cancelled, marks):
        self.point = ic.history_point(marks)
        name, index, headers, mapping, rows, _merged = self.map_headers(sheets)
        ignored = [str(h) for col, h in enumerate(headers) if col not in mapping and not iv.is_blank(h)]
        kept = self.header_names(sorted(self.spec.withheld))
        withheld = [h for h in ignored if iv.normalise(h) in kept]
        ignored = [h for h in ignored if h not in withheld]
        repeated = self.repeated_headers(headers, mapping, self.header_names())
        data = [(index + 2 + offset, row) for offset, row in enumerate(rows[index + 1:]) if iv.has_values(row)]
        if not data:
            raise ImportFileError(_l("The sheet has headers but no data rows."))
        # one cache per column: a value repeated down a column (a type, a region, a date) is parsed once
        columns = [(col, name, iv.CellCache(self.readers[name], self.spec.label(name)))
                   for col, name in mapping.items()]
        formulas = any(type(cell) is Formula for _number, row in data for cell in row)
        results = []
        for start, (number, row) in enumerate(data):
            if start % PROGRESS_EVERY == 0:
                tick(progress, cancelled, start, len(data))
            results.append(self._read_row(number, row, columns, formulas))
        self._match(results)
        tick(progress, cancelled, len(data), len(data))
        headers = ["" if iv.is_blank(h) else str(h) for h in headers]
        return Plan(name, index + 1, headers, mapping, results, ignored, repeated, withheld)

    @staticmethod
    def _read_row(number, row, columns, formulas=True):
        result = RowResult(number, raw=[str(c) if type(c) is Formula else c for c in row] if formulas else row)
        values, errors, width = result.values, result.errors, len(row)
        for col, name, cache in columns:
            value = row[col] if col < width else None
            if value is None:
                values[name] = None
                continue
            ok, value = cache.read(value)
            if ok:
                values[name] = value
            else:
                errors.append(value)
        return result

    def _reader(self, name, languages):
        """Return parse(cell) of one column (blanks and formulas are handled by iv.CellCache)."""
        if name in ("id", "version"):
            return iv.parse_int
        if name == "updated_at":
            return lambda value: iv.parse_date(value, with_time=True)
        fld = self.model._meta.fields[name]
        if isinstance(fld, pw.ForeignKeyField):
            return lambda value: Ref(iv.parse_text(value, REF_BOUNDS))
        return iv.field_parser(fld, languages)

    # --- matching against the database ------------------------------------------------------------
    def _match(self, results):
        by_id = self._existing(self.model.id, [r.values.get("id") for r in results])
        by_key = {}
        if self.natural_key:
            key = getattr(self.model, self.natural_key)
            by_key = {getattr(r, self.natural_key): r for r in
                      self._existing(key, [r.values.get(self.natural_key) for r in results]).values()}
        seen = set()
        for result in results:
            record = self._record_for(result, by_id, by_key)
            if result.errors:
                result.action = "error"
                continue
            if record is not None and record.id in seen:
                result.errors.append(str(_l("The same record appears twice in the file.")))
            if record is not None:
                seen.add(record.id)
            self._classify(result, record)

    def _existing(self, column, values):
        found = {}
        for part in isql.chunks(values):
            for record in self.model.select().where(isql.in_list(column, part)):
                found[getattr(record, column.name)] = record
        return found

    def _record_for(self, result, by_id, by_key):
        wanted = result.values.get("id")
        if wanted is not None:
            record = by_id.get(wanted)
            if record is None:
                result.errors.append(str(_l("There is no record with ID %(id)s.", id=wanted)))
            return record
        key = result.values.get(self.natural_key) if self.natural_key else None
        return by_key.get(key) if key is not None else None

    def _classify(self, result, record):
        values = {k: v for k, v in result.values.items() if k not in NOT_FIELDS}
        self.refs.resolve(values, record, result.errors)
        if record is None:
            result.errors.extend(self._missing(values))
            values = {k: v for k, v in values.items() if v is not None}
        conflict = record is not None and self._conflicts(result, record)
        then = ic.export_state(record, self.point) if conflict else None
        if record is not None:
            result.record_id = record.id
            values = self._unmasked(values, record, then)
        result.errors.extend(self._validate(values))
        if result.errors:
            result.action = "error"
            return
        result.values = values
        if record is None:
            return
        result.base_version = record.version
        stored = history.snapshot(record)
        result.changes = history.diff(stored, {**stored, **_plain(values)})
        for name in values:
            if name in self.spec.masked:
                # a typed value is written whether or not it equals the stored one, so "unchanged" never confirms
                # a guess; the preview shows the stored side masked
                result.changes[name] = [mask(name, stored.get(name)), _plain(values)[name]]
        if result.changes and conflict:
            result.action = ic.explain(result, record, _plain(values), self.spec.masked, then)
            return
        result.action = "update" if result.changes else "unchanged"

    def _missing(self, values):
        return [str(_l("%(field)s is required.", field=self.spec.label(name)))
                for name in self.required if values.get(name) is None]

    def _unmasked(self, values, record, then=None):
        """Drop masked values that still equal the masked form of the stored or the exported value (kept)."""
        kept = {}
        for name, value in values.items():
            current = record.__data__.get(name)
            exported = [mask(name, then.get(name))] if then is not None else []
            if name in self.spec.masked and value in (mask(name, current), *exported):
                continue
            if value is None and not self.model._meta.fields[name].null:
                continue  # an empty cell never blanks a required value
            kept[name] = value
        return kept

    def _validate(self, values):
        errors = []
        for name, value in values.items():
            if self.spec.checks.get(name):
                errors.extend(self._checked(name, value))
        return errors

    def _checked(self, name, value):
        """Return the messages of a field's checks on a value, each distinct value checked once per sheet."""
        key = (name, type(value), value)
        try:
            return self._check_cache[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value: check it every time
            key = None
        messages = []
        for check in self.spec.checks[name]:
            try:
                check(None, _Cell(value))
            except ValueError as ex:
                messages.append(f"{self.spec.label(name)}: {ex}")
        if key is not None:
            self._check_cache[key] = messages
        return messages

    @staticmethod
    def _conflicts(result, record):
        version = result.values.get("version")
        if version is not None:
            return version != record.version
        stamp = result.values.get("updated_at")
        return stamp is not None and stamp.replace(microsecond=0) != record.updated_at.replace(microsecond=0)


class _Cell:
    """The bit of a WTForms field a validator reads."""

    def __init__(self, data):
        self.data = data
        self.errors = []


def _plain(values):
    return {k: history._plain(v) for k, v in values.items()}
