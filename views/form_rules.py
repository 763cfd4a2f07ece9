"""Form rules shared by the record forms."""
from flask_admin.form import rules
from markupsafe import Markup


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
