"""Form rules shared by the record forms: sections in two columns, optional ones collapsed, required marks.

A record form is a list of sections (`form_sections`: [(title, [field names])]). The first section, and any
section holding a required field, is always open; the others are optional and start collapsed unless one of
their fields holds a value or an error, so nothing typed or wrong is ever hidden (docs/forms.md).
"""
from flask_admin.form import rules
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape
from wtforms.validators import DataRequired, InputRequired
from wtfpeewee.orm import ValueRequired

#: validators that make a field required
REQUIRED = (DataRequired, InputRequired, ValueRequired)


class HiddenInputs(rules.BaseRule):
    """Render hidden fields as bare inputs: Flask-Admin's field rule would give each a visible label."""

    def __init__(self, *names):
        super().__init__()
        self.names = names

    @property
    def visible_fields(self):
        return list(self.names)

    def __call__(self, form, form_opts=None, field_args=None):
        return Markup("".join(str(form[name]()) for name in self.names if name in form))


def form_tail():
    """Return the bookkeeping inputs every sectioned record form ends with (optimistic lock, double submit)."""
    return HiddenInputs("row_version", "submit_token")


def is_required(field):
    """Tell whether a form field must be filled in (the form marks it with *)."""
    return bool(getattr(field.flags, "required", False)) or any(isinstance(c, REQUIRED) for c in field.validators)


def holds_value(field):
    """Tell whether a field holds something worth showing: a value other than its default, or an error."""
    if field.errors:
        return True
    data = field.data
    if data in (None, "", [], (), "__None") or data is False:
        return False
    default = field.default() if callable(field.default) else field.default
    return data != default


class Section(rules.NestedRule):
    """One titled section of a record form; optional sections collapse unless they hold a value or an error."""

    def __init__(self, header, names, first=False):
        super().__init__(list(names))
        self.header, self.first = header, first

    def fields(self, form):
        """Return the form fields this section shows."""
        return [form[name] for name in self.visible_fields if name in form]

    def state(self, form):
        """Return "fixed" (always open), "open" or "closed" for this form."""
        fields = self.fields(form)
        if self.first or any(is_required(f) for f in fields):
            return "fixed"
        return "open" if any(holds_value(f) for f in fields) else "closed"

    def weight(self, form):
        """Return the section's rough height in fields (a collapsed section is one line)."""
        return len(self.fields(form)) + 1 if self.state(form) != "closed" else 1

    def __call__(self, form, form_opts=None, field_args=None):
        body = super().__call__(form, form_opts, field_args)
        header, state = escape(str(self.header)), self.state(form)
        if state == "fixed":
            return Markup('<fieldset class="form-section card mb-3" data-section="fixed">'
                          f'<legend class="card-header h6 mb-0">{header}</legend>'
                          f'<div class="card-body">{body}</div></fieldset>')
        count = escape(ngettext("%(num)d field", "%(num)d fields", len(self.fields(form))))
        return Markup(f'<details class="form-section card mb-3" data-section="{state}"'
                      f'{" open" if state == "open" else ""}>'
                      f'<summary class="card-header h6 mb-0">{header} '
                      f'<small class="text-muted section-count">({count})</small></summary>'
                      f'<div class="card-body">{body}</div></details>')


class Sections(rules.NestedRule):
    """The sections of a form in two columns (one on a phone), split where the heights balance best."""

    def __call__(self, form, form_opts=None, field_args=None):
        shown = [s for s in self.rules if s.fields(form)]
        weights = [s.weight(form) for s in shown]
        total = sum(weights)
        split = min(range(1, len(shown) + 1), default=0,
                    key=lambda k: max(sum(weights[:k]), total - sum(weights[:k])))
        columns = [shown[:split], shown[split:]]
        html = "".join('<div class="form-column">{}</div>'.format(
            "".join(str(s(form, form_opts, field_args)) for s in column)) for column in columns if column)
        legend = ""
        if any(is_required(f) for s in shown for f in s.fields(form)):
            legend = ('<p class="form-legend small text-muted"><strong class="text-danger">*</strong> '
                      f'{escape(_("required"))}</p>')
        return Markup(f'{legend}<div class="form-sections">{html}</div>')


def section_rules(sections, hidden=()):
    """Return the form rules of [(title, [field names])] without the `hidden` names, bookkeeping last."""
    kept = [(header, [n for n in names if n not in hidden]) for header, names in sections]
    parts = [Section(header, names, first=index == 0) for index, (header, names) in enumerate(kept)]
    return [Sections(parts), form_tail()]
