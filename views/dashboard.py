"""The dashboard page: figures from services.dashboard, each linked to the filtered list behind it."""
from urllib.parse import urlencode

from flask import url_for
from flask_babel import lazy_gettext as _l

from admin_app.permissions import allowed, decided
from admin_app.services.settings import kpi
from admin_app.services.settings import store as settings_store
from admin_app.services.workflow import dashboard
from models.choices import COMPLAINT_TYPES
from views.access import find_view
from views.customer import RECORD_ENDPOINTS


def list_url(admin, endpoint, *filters):
    """Return the list URL of a view with filters given as (column name, filter class name, value).

    Returns None when the user may not open the list or use one of the filters (a field hidden from the role).
    The view, its URL and its filter keys are looked up once per request (the page links some 60 numbers).
    """
    found = decided(("dashboard_list", endpoint), lambda: _list_target(admin, endpoint))
    if found is None:
        return None
    base, keys = found
    args = []
    for position, (column, kind, value) in enumerate(filters):
        if (column, kind) not in keys:
            return None
        args.append((f"flt{position}_{keys[column, kind]}", value))
    return base + ("?" + urlencode(args) if args else "")


def _list_target(admin, endpoint):
    """Return (list URL, {(column name, filter class name): first URL key}) of a view the user may open, or None."""
    view = find_view(admin, endpoint)
    if view is None or not allowed(endpoint):
        return None
    keys = {}
    for key, (_i, flt) in (view._filter_args or {}).items():
        keys.setdefault((getattr(getattr(flt, "column", None), "name", None), type(flt).__name__), key)
    return url_for(f"{endpoint}.index_view"), keys


def _range(first, last, with_time):
    if with_time:
        return f"{first.isoformat()} 00:00:00 to {last.isoformat()} 23:59:59"
    return f"{first.isoformat()} to {last.isoformat()}"


def workload_cards(admin, figures):
    """Return the open/overdue card of each workflow record type with its list links."""
    cards = []
    for model, counts in figures["workload"].items():
        endpoint, label = RECORD_ENDPOINTS[model]
        if not allowed(endpoint):
            continue
        cards.append({"endpoint": endpoint, "label": label, **counts,
                      "open_url": list_url(admin, endpoint, ("status", "OverdueFilter", "open")),
                      "overdue_url": list_url(admin, endpoint, ("status", "OverdueFilter", "overdue"))})
    return cards


def complaint_chart(admin, figures):
    """Return the complaints-per-month chart: labels, one dataset per type, a list URL per bar."""
    months = figures["months"]
    datasets = []
    for kind, label in COMPLAINT_TYPES:
        urls = [list_url(admin, "complaint", ("complaint_type", "FilterEqual", kind),
                         ("received_at", "DateTimeBetweenFilter", _range(m, dashboard.month_end(m), True)))
                for m in months]
        # a type the office added after the cached figures were counted has no complaints in them yet
        data = figures["complaints_by_month"].get(kind, [0] * len(months))
        datasets.append({"label": str(label), "data": data, "urls": urls})
    return {"labels": [m.strftime("%Y-%m") for m in months], "datasets": datasets}


def rate_links(admin, figures):
    """Return the list URLs behind the resolution and complaint rates, grades and reports due."""
    period = ("received_at", "DateTimeBetweenFilter", _range(figures["first"], figures["last"], True))
    first = figures["today"].replace(day=1)
    month = _range(first, dashboard.month_end(first), False)
    return {
        "received": list_url(admin, "complaint", period),
        "closed": list_url(admin, "complaint", period, ("status", "FilterEqual", "closed")),
        "grades": {g: list_url(admin, "customer", ("grade", "FilterEqual", g)) for g in figures["grades"]},
        "reports_due": list_url(admin, "customer", ("next_report_due", "DateBetweenFilter", month)),
        "satisfaction": _survey_list(admin),
    }


def _survey_list(admin):
    try:
        from models.survey import Response
    except ImportError:
        return None
    view = next((v for v in admin._views if getattr(v, "model", None) is Response), None)
    return url_for(f"{view.endpoint}.index_view") if view is not None and allowed(view.endpoint) else None


def kpi_context(figures, today=None):
    """Return the targets (rule settings), the exact verdicts and the KPI lines for the dashboard template."""
    names = ("resolution", "satisfaction", "complaint_rate")
    kpis = kpi.kpi_rows(figures, today)
    return {"targets": {name: float(settings_store.get(f"target_{name}")) for name in names},
            "target_text": {name: settings_store.fmt(settings_store.get(f"target_{name}")) for name in names},
            "kpis": kpis, "met": {row["key"]: row["met"] for row in kpis},
            "denominator": settings_store.get("complaint_rate_denominator")}


def context(admin, today=None):
    """Return everything the dashboard template needs (only the current counts while the period's are pending)."""
    figures = dashboard.figures(today)
    if figures["pending"]:
        first = figures["today"].replace(day=1)
        month = _range(first, dashboard.month_end(first), False)
        return {"figures": figures, "cards": workload_cards(admin, figures), "titles": TITLES,
                "links": {"reports_due": list_url(admin, "customer", ("next_report_due", "DateBetweenFilter", month))}}
    satisfaction = figures["satisfaction"]
    has_survey = bool(satisfaction) and any(total for _s, total, _r in satisfaction)
    return {
        "figures": figures, "cards": workload_cards(admin, figures), "links": rate_links(admin, figures),
        "complaint_chart": complaint_chart(admin, figures),
        "satisfaction_chart": {"labels": [m.strftime("%Y-%m") for m in figures["months"]],
                               "rates": [rate for _s, _t, rate in satisfaction]} if has_survey else None,
        "titles": TITLES, **kpi_context(figures, today),
    }


TITLES = {
    "workload": _l("Open and overdue work"), "complaints": _l("Complaints per month by category"),
    "resolution": _l("Complaint resolution rate"), "satisfaction": _l("Satisfaction rate"),
    "complaint_rate": _l("Complaint rate"), "grades": _l("Customer grades"),
    "reports_due": _l("Grade reports due this month"),
}
