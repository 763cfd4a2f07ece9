"""List rows drawn in one call per row, each column's decisions made once per request (issue 15 target 3)."""
from flask_admin.babel import gettext as admin_gettext
from flask_admin.model.template import (
    DeleteRowAction,
    EditPopupRowAction,
    EditRowAction,
    ViewPopupRowAction,
    ViewRowAction,
)
from flask_babel import LazyString
from jinja2 import pass_context
from markupsafe import Markup, escape

from admin_app.permissions import decided

#: stands in for a row's id while a page's row buttons are rendered once
ROW_MARK = "__row_id__"
STOCK_ROW_ACTIONS = (ViewRowAction, ViewPopupRowAction, EditRowAction, EditPopupRowAction, DeleteRowAction)


class ListRowsMixin:
    """Draws a list's rows for record_list.html: row buttons rendered once per page, cells without template calls."""

    @pass_context
    def row_buttons(self, context, actions, row_id, row):
        """Return a row's view / edit / delete buttons: rendered once per page for a stand-in row, then filled in.

        The stock buttons are three template macros per row, each building its URLs; their markup differs from
        row to row only by the id.
        """
        markup = decided(("row_buttons", id(self), id(actions)), lambda: self._stand_in_buttons(context, actions))
        if markup is None:
            return Markup("").join(a.render(context, row_id, row) for a in actions)
        return Markup(markup.replace(ROW_MARK, str(escape(row_id))))

    def _stand_in_buttons(self, context, actions):
        """Return the page's row buttons drawn for a stand-in id, or None when an action is not a stock one."""
        if not all(type(a) in STOCK_ROW_ACTIONS for a in actions):
            return None
        stand_in = self.model(**{self._primary_key: ROW_MARK})
        return str(Markup("").join(a.render(context, ROW_MARK, stand_in) for a in actions))

    @pass_context
    def list_row(self, context, actions, row):
        """Return a list row's cells: the template's list_row block, with each column's decisions made once.

        Which columns show, which are edited in place and the CSRF value are decided once per request (not per
        cell); each cell is still the view's own get_list_value (formatters, masks, choices), escaped.
        """
        columns, select_title = decided(("list_row", id(self)), lambda: (
            [(c, self.is_editable(c)) for c, _name in context["list_columns"]], admin_gettext("Select record")))
        pk = self.get_pk_value(row)
        parts = []
        if actions:
            parts.append(f'<td><input type="checkbox" name="rowid" class="action-checkbox" value="{escape(pk)}" '
                         f'title="{escape(select_title)}" /></td>')
        if self.column_display_actions:
            buttons = self.row_buttons(context, context["list_row_actions"], pk, row)
            parts.append(f'<td class="list-buttons-column">{buttons}</td>')
        formatters, type_formatters = self.column_formatters, self.column_type_formatters
        editor = self._row_editor(context, pk) if any(editable for _c, editable in columns) else None
        for column, editable in columns:
            value = self._get_list_value(context, row, column, formatters, type_formatters)  # get_list_value's call
            if isinstance(value, LazyString):  # a choice's label: translated once per request, not per cell
                value = decided(("label", id(value)), lambda label=value: Markup(label.__html__()))
            cell = editor(column, value) if editable and self.row_editable(column, row) else escape(value)
            parts.append(f'<td class="col-{column}">{cell}</td>')
        return Markup("".join(parts))

    def row_editable(self, name, row):
        """Tell whether a row offers the in-place editor of a column the list edits in place (views/form_fit.py)."""
        return True

    def _row_editor(self, context, pk):
        """Return editor(column, value) drawing a row's in-place editors as the stock template calls them (the
        CSRF value once a page)."""
        form = context["list_forms"][pk]
        token = getattr(form, "csrf_token", None)
        if token:
            csrf = decided(("list_csrf", id(self)), token._value)
        elif context.get("csrf_token"):
            csrf = decided(("list_csrf", id(self)), context["csrf_token"])
        else:
            return lambda column, value: form[column](pk=pk, display_value=value)
        return lambda column, value: form[column](pk=pk, display_value=value, csrf=csrf)

    def _get_list_value(self, context, model, name, column_formatters, column_type_formatters):
        """Return a cell's value as Flask-Admin does, "" for None, a choice's label translated once per request.

        (Flask-Admin tests each lazy label's truth, which translates it again for every cell, and looks the type
        formatter up by isinstance over all of them; here it is found once per type.)
        """
        choices = self._column_choices_map.get(name)
        if name in column_formatters:
            if choices:
                return super()._get_list_value(context, model, name, column_formatters, column_type_formatters)
            value = column_formatters[name](self, context, model, name)
        else:
            value = self._get_field_value(model, name)
            if choices:
                labels = decided(("choice_labels", id(self), name), lambda: {k: str(v) for k, v in choices.items()})
                return labels.get(value) or ("" if value is None else value)
        if value is None:
            return ""  # an empty field would otherwise read "None"
        formatter = self._type_formatter(type(value), column_type_formatters)
        return value if formatter is None else formatter(self, value, name)

    def _type_formatter(self, kind, formatters):
        """Return the formatter Flask-Admin would pick for a value of type `kind` (the first isinstance match)."""
        cache = self.__dict__.setdefault("_type_formatters", {})
        key = (id(formatters), kind)
        if key not in cache:
            cache[key] = next((f for typeobj, f in formatters.items() if issubclass(kind, typeobj)), None)
        return cache[key]
