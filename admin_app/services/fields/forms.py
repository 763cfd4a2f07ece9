"""The form field of a multiple-choice custom field: stored as option codes joined by commas."""
from wtforms import SelectMultipleField, widgets


class MultiChoiceField(SelectMultipleField):
    """Check boxes whose ticked option codes are stored as "a,b"."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def process_data(self, value):
        self.data = [v for v in (value or "").split(",") if v] if isinstance(value, str) else list(value or [])

    def populate_obj(self, obj, name):
        setattr(obj, name, ",".join(self.data or []) or None)
