"""What the panel tests need to know about each of the six tables: valid forms, searches, filters, sorting."""
import datetime as dt
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from conftest import CSRFClient, _empty_tables, _migrated
from werkzeug.security import generate_password_hash

from admin_app import create_app
from admin_app.db import create_schema
from models import ArchiveRecord, Complaint, Customer, Feedback, Repair, ReturnExchange, User, db

ROW_ID_RE = re.compile(r'name="rowid" class="action-checkbox" value="(\d+)"')
ALERT_RE = re.compile(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', re.S)


@dataclass(frozen=True)
class Spec:
    """One table of the panel as the tests drive it."""

    endpoint: str
    model: type
    #: a valid create form besides the customer: {field: text typed}
    form: dict
    #: {field: value} the saved row must have after posting `form`
    saved: dict
    #: a text field to change on edit, with its new value
    edit_field: str
    #: kind -> (row overrides, search term); "customer" in overrides holds the customer's overrides
    searches: dict
    #: (choice field, value of row A, value of row B)
    choice: tuple
    #: (date field, older value, newer value)
    date: tuple
    #: (amount or count field, smaller value, larger value), or None
    amount: tuple | None
    #: (sortable list column, smaller value, larger value)
    sort: tuple
    extra: dict = field(default_factory=dict)


SPECS = [
    Spec("customer", Customer,
         form={"name": "欧阳建国", "customer_type": "company", "phone": "13812345678", "email": "ouyang@example.cn",
               "staff_count": "120", "receivable": "2500.50", "trade_volume_12m": "800000",
               "first_trade_date": "2019-05-01", "notes": "每月初对账"},
         saved={"name": "欧阳建国", "customer_type": "company", "phone": "13812345678", "staff_count": 120,
                "receivable": Decimal("2500.50"), "first_trade_date": dt.date(2019, 5, 1)},
         edit_field="notes",
         searches={"name": ({"name": "司马光明"}, "司马光"), "phone": ({"phone": "13766668888"}, "13766668888"),
                   "text": ({"notes": "只接受周末送货上门"}, "周末送货")},
         choice=("customer_type", "store", "individual"),
         date=("first_trade_date", dt.date(2015, 3, 1), dt.date(2024, 3, 1)),
         amount=("receivable", Decimal("10"), Decimal("90000")),
         sort=("name", "Alpha 顾客", "Zulu 顾客")),
    Spec("archiverecord", ArchiveRecord,
         form={"kind": "consumption", "entry_date": "2026-10-08", "content": "购买净水器两台", "amount": "3999.00",
               "items": "净水器", "staff": "陈店员"},
         saved={"kind": "consumption", "entry_date": dt.date(2026, 10, 8), "amount": Decimal("3999.00"),
                "content": "购买净水器两台"},
         edit_field="content",
         searches={"name": ({"customer": {"name": "诸葛云"}}, "诸葛云"),
                   "text": ({"content": "顾客要求上午送货"}, "上午送货")},
         choice=("kind", "visit", "document"),
         date=("entry_date", dt.date(2025, 1, 5), dt.date(2026, 9, 5)),
         amount=("amount", Decimal("5"), Decimal("5000")),
         sort=("entry_date", dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
    Spec("feedback", Feedback,
         form={"feedback_date": "2026-11-01", "channel": "email", "category": "logistics", "reporter": "周先生",
               "reporter_phone": "021-62345678", "content": "快递外箱破损", "status": "new"},
         saved={"channel": "email", "category": "logistics", "reporter": "周先生", "reporter_phone": "021-62345678",
                "feedback_date": dt.date(2026, 11, 1), "content": "快递外箱破损"},
         edit_field="content",
         searches={"name": ({"reporter": "欧阳修远"}, "欧阳修远"),
                   "text": ({"content": "滤芯更换提示灯常亮"}, "提示灯常亮")},
         choice=("channel", "letter", "fax"),
         date=("feedback_date", dt.date(2025, 2, 1), dt.date(2026, 8, 1)),
         amount=None,
         sort=("feedback_date", dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
    Spec("complaint", Complaint,
         form={"complainant": "孙女士", "contact_phone": "13911112222", "received_at": "2026-11-05 10:15:00",
               "channel": "visit", "complaint_type": "product_quality", "nature": "valid", "severity": "high",
               "content": "新买的电饭煲漏电", "status": "received"},
         saved={"complainant": "孙女士", "severity": "high", "complaint_type": "product_quality",
                "received_at": dt.datetime(2026, 11, 5, 10, 15), "content": "新买的电饭煲漏电"},
         edit_field="content",
         searches={"name": ({"complainant": "慕容秋"}, "慕容秋"),
                   "phone": ({"contact_phone": "13655557777"}, "13655557777"),
                   "text": ({"content": "安装师傅迟到三小时"}, "迟到三小时")},
         choice=("complaint_type", "product_quality", "emergency"),
         date=("received_at", dt.datetime(2025, 3, 1, 9), dt.datetime(2026, 9, 1, 9)),
         amount=None,
         sort=("received_at", dt.datetime(2025, 1, 1, 9), dt.datetime(2026, 1, 1, 9))),
    Spec("repair", Repair,
         form={"reporter": "钱工", "contact_phone": "0755-88889999", "product_name": "燃气灶",
               "fault_reported": "点火困难", "received_at": "2026-11-06 08:00:00", "warranty_status": "out_of_warranty",
               "parts_cost": "35.5", "labour_cost": "80", "status": "received"},
         saved={"reporter": "钱工", "product_name": "燃气灶", "warranty_status": "out_of_warranty",
                "parts_cost": Decimal("35.50"), "labour_cost": Decimal("80"), "fault_reported": "点火困难"},
         edit_field="fault_reported",
         searches={"name": ({"reporter": "上官明"}, "上官明"),
                   "phone": ({"contact_phone": "13544443333"}, "13544443333"),
                   "text": ({"fault_reported": "压缩机异响明显"}, "压缩机异响")},
         choice=("warranty_status", "in_warranty", "out_of_warranty"),
         date=("received_at", dt.datetime(2025, 4, 1, 9), dt.datetime(2026, 10, 1, 9)),
         amount=("parts_cost", Decimal("1"), Decimal("800")),
         sort=("received_at", dt.datetime(2025, 1, 1, 9), dt.datetime(2026, 1, 1, 9))),
    Spec("returnexchange", ReturnExchange,
         form={"product_name": "吹风机", "purchase_date": "2026-10-20", "quantity": "2", "amount": "358",
               "reason": "风力明显不足", "status": "requested"},
         saved={"product_name": "吹风机", "purchase_date": dt.date(2026, 10, 20), "quantity": 2,
                "amount": Decimal("358"), "reason": "风力明显不足"},
         edit_field="reason",
         searches={"name": ({"customer": {"name": "东方白"}}, "东方白"),
                   "text": ({"reason": "包装内缺少说明书"}, "缺少说明书")},
         choice=("decision", "exchange", "refuse"),
         date=("purchase_date", dt.date(2025, 5, 1), dt.date(2026, 9, 1)),
         amount=("amount", Decimal("20"), Decimal("2000")),
         sort=("purchase_date", dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
]
BY_ENDPOINT = {spec.endpoint: spec for spec in SPECS}
RECORD_SPECS = [spec for spec in SPECS if spec.model is not Customer]


def spec_id(spec):
    """Name a parametrized case after the table."""
    return spec.endpoint


def form_for(spec, customer=None, /, **changes):
    """Return the valid create form of a table, for a customer when the table has one."""
    data = dict(spec.form)
    if spec.model is not Customer:
        data["customer"] = str(customer.id)
    data.update(changes)
    return data


def make_row(spec, make_customer, make_record, **overrides):
    """Create one row of a table through the factories; overrides["customer"] may be a dict of its overrides."""
    customer_values = overrides.pop("customer", None)
    if spec.model is Customer:
        return make_customer(**overrides)
    customer = customer_values if isinstance(customer_values, Customer) else make_customer(**(customer_values or {}))
    return make_record(spec.model, customer=customer, **overrides)


def admin_view(app, endpoint):
    """Return the panel's view object for an endpoint."""
    return next(view for view in app.extensions["admin"][0]._views if view.endpoint == endpoint)


def filter_arg(view, column, kind):
    """Return the URL key (`<idx>` of `flt0_<idx>`) of a view's filter on a column of a kind."""
    for key, (_idx, flt) in view._filter_args.items():
        if flt.column is column and type(flt).__name__ == kind:
            return key
    raise LookupError(f"{view.endpoint} has no {kind} filter on {column}")


GREATER = {"DateField": "DateGreaterFilter", "DateTimeField": "DateTimeGreaterFilter",
           "DecimalField": "FloatGreaterFilter", "IntegerField": "IntGreaterFilter"}


def greater_filter(view, column):
    """Return the URL key of the 'greater than' filter on a date or number column."""
    return filter_arg(view, column, GREATER[type(column).__name__])


def filter_value(value):
    """Return a value typed into a filter box."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def row_ids(response):
    """Return the ids of the rows a list page shows, in order."""
    assert response.status_code == 200, response.status_code
    return [int(i) for i in ROW_ID_RE.findall(response.get_data(as_text=True))]


def alerts(response):
    """Return the texts of the flashed messages on a page, unescaped."""
    page = response.get_data(as_text=True)
    return [html.unescape(re.sub(r"<[^>]+>|×", "", text)).strip() for text in ALERT_RE.findall(page)]


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Hash test passwords cheaply; tests/test_auth.py checks the real algorithm."""
    def set_password(user, password):
        user.password_hash = generate_password_hash(password, method="pbkdf2:sha256:1")

    monkeypatch.setattr(User, "set_password", set_password)


@pytest.fixture(scope="module")
def module_app(database_url):
    """Build the panel once per test module: its few hundred routes cost more to compile than most tests."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "BABEL_DEFAULT_LOCALE": "zh_Hans_CN"})
    app.test_client_class = CSRFClient
    if database_url not in _migrated:
        create_schema()
        _migrated.add(database_url)
    return app


@pytest.fixture()
def app(module_app):
    """The conftest `app` on the module's shared instance: same clean tables after each test."""
    with module_app.app_context():
        db.connect(reuse_if_open=True)
        yield module_app
        db.connect(reuse_if_open=True)
        _empty_tables()
        db.close()
