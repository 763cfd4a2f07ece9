"""Say in words which rows a list shows: its search and filters as the user chose them."""
from flask_babel import gettext as _


def describe_list(view):
    """Return the current request's search and filters in words, e.g. "顾客类型 等于 门店；搜索“恒远”"; "" if none."""
    parts = []
    for idx, name, value in view._get_list_filter_args() or ():
        flt = view._filters[idx]
        options = {str(code): label for code, label in (flt.get_options(view) or ())}
        parts.append(f"{name} {flt.operation()} {options.get(str(value), value)}")
    search = view._get_list_extra_args().search
    if search:
        parts.append(_("search “%(term)s”", term=search))
    return _("; ").join(str(part) for part in parts)
