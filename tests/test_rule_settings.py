"""The rule settings page (issue 12.6): seed sources shown, admin-only changes, history, recompute of open records."""
import datetime as dt
from decimal import Decimal

import pytest
from flask_babel import force_locale
from markupsafe import escape

from admin_app.services.lists.pinyin_key import simplified
from admin_app.services.settings import registry, seed_english, store
from admin_app.services.workflow import workflow_ops
from models import Complaint, Customer, Repair
from models.settings import RecomputeLog, RuleSetting, RuleSettingChange
from models.workflow import CoreArea

PAGE = "/admin/rulesettings/"
RECOMPUTE = "/admin/rulesettings/recompute"


def form(**changes):
    """Return the page's form as submitted unchanged, with some values replaced."""
    values = {key: store.fmt(value) for key, value in registry.defaults().items()}
    return {**values, **changes}


def received(make_record, model, when, **values):
    """Create a record the way the form does: deadlines filled from the settings in force."""
    record = make_record(model, received_at=when, **values)
    workflow_ops.fill_deadlines(record)
    record.save()
    return model.get_by_id(record.id)


@pytest.mark.parametrize(("language", "words"), [
    ("zh_Hans_CN", ["规则参数", "投诉调查", "工作日", "种子未规定此数值"]),
    ("en", ["Rule settings", "Complaint investigation", "working days", "The seeds name no figure"]),
])
def test_page_shows_every_setting_with_its_seed_sentence(admin_client, language, words):
    admin_client.post("/language", data={"language": language, "next": PAGE})
    page = admin_client.get(PAGE).get_data(as_text=True)
    for word in words:
        assert word in page
    for setting in registry.SETTINGS:
        assert f'id="setting-{setting.key}"' in page
        if setting.seed:  # the seed's own words in Chinese (simplified characters), a rendering in English
            quote, where = simplified(setting.seed.shown), simplified(setting.seed.where)
            if language == "en":
                quote, where = setting.seed.shown, setting.seed.where
                with force_locale("en"):
                    quote, where = str(seed_english.ENGLISH[quote]), str(seed_english.ENGLISH[where])
            assert escape(quote) in page and escape(where) in page
    if language == "zh_Hans_CN":  # 004 is written in traditional characters; the interface reads simplified
        assert "調查表" not in page and "調查" not in page and "质量管理员应在一周内" in page


@pytest.mark.parametrize(("role", "status", "can_save"), [
    ("admin", 200, True), ("manager", 200, False), ("supervisor", 200, False), ("clerk", 403, False),
    ("technician", 403, False), ("quality", 403, False)])
def test_roles_see_or_edit_the_page(login_as, role, status, can_save):
    client = login_as(role)
    response = client.get(PAGE)
    assert response.status_code == status
    assert ('id="save-settings"' in response.get_data(as_text=True)) is can_save


@pytest.mark.parametrize("role", ["manager", "supervisor", "clerk"])
def test_only_an_admin_changes_settings_or_recomputes(login_as, role):
    client = login_as(role)
    assert client.post(PAGE, data=form(retention_years="5")).status_code == 403
    assert client.post(RECOMPUTE, data={}).status_code == 403
    assert RuleSetting.select().count() == 0 and RecomputeLog.select().count() == 0


def test_a_change_is_logged_with_who_when_old_and_new(admin_client):
    response = admin_client.post(PAGE, data=form(retention_years="5", target_resolution="85.5"))
    assert response.status_code == 302
    changes = {c.key: (c.old_value, c.new_value, c.username) for c in RuleSettingChange.select()}
    user = admin_client.user.username
    assert changes == {"retention_years": ("3", "5", user), "target_resolution": ("80", "85.5", user)}
    assert all(c.at.date() == dt.date.today() for c in RuleSettingChange.select())
    assert store.get("retention_years") == 5 and store.get("target_resolution") == Decimal("85.5")
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert 'value="85.5"' in page and user in page


def test_a_change_made_by_the_system_reads_in_the_users_language(admin_client):
    """A setting saved by a command or a migration is by 系统 / System, never the raw word, with a readable time."""
    store.save({"retention_years": 5})
    at = RuleSettingChange.get().at.strftime("%Y-%m-%d %H:%M")
    for language, word in (("zh_Hans_CN", "<td>系统</td>"), ("en", "<td>System</td>")):
        admin_client.post("/language", data={"language": language, "next": PAGE})
        page = admin_client.get(PAGE).get_data(as_text=True)
        assert word in page and f"<td>{at}</td>" in page and "<td>system</td>" not in page


@pytest.mark.parametrize(("key", "value", "message"), [
    ("complaint_investigation_workdays", "abc", "请输入数字"),
    ("complaint_investigation_workdays", "2.5", "请输入整数"),
    ("complaint_investigation_workdays", "0", "必须在 1 到 60 之间"),
    ("target_satisfaction", "101", "必须在 0 到 100 之间"),
    ("target_satisfaction", "", "请输入数值"),
    ("grading_receivable_low", "900000", "不得大于应收账款上限"),
    ("complaint_rate_denominator", "everyone", "请从选项中选择"),
])
def test_bad_values_get_a_translated_error_and_nothing_is_saved(admin_client, key, value, message):
    response = admin_client.post(PAGE, data=form(retention_years="7", **{key: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "field-error" in page and message in page
    assert RuleSetting.select().count() == 0 and RuleSettingChange.select().count() == 0


def test_a_new_rule_applies_to_new_records_and_keeps_set_due_dates(admin_client, make_record):
    """002 第五篇: 質量管理員應在一周內(3個工作日內)完成質量投訴的調查 — a changed figure applies to new complaints."""
    old = received(make_record, Complaint, dt.datetime(2026, 11, 2, 9))  # Monday: 3 working days -> Thursday
    assert old.investigation_due == dt.date(2026, 11, 5)
    admin_client.post(PAGE, data=form(complaint_investigation_workdays="5"))
    new = received(make_record, Complaint, dt.datetime(2026, 11, 2, 9))
    assert new.investigation_due == dt.date(2026, 11, 9)
    assert Complaint.get_by_id(old.id).investigation_due == dt.date(2026, 11, 5)
    admin_client.post(RECOMPUTE, data={})
    assert Complaint.get_by_id(old.id).investigation_due == dt.date(2026, 11, 9)
    log = RecomputeLog.get()
    assert (log.reason, log.changed, log.username) == ("settings", 1, admin_client.user.username)
    assert admin_client.user.username in admin_client.get(PAGE).get_data(as_text=True)


def test_recompute_touches_only_open_records_and_core_areas_keep_their_hours(admin_client, make_record,
                                                                                 make_customer):
    """002 第一篇: 櫻花公司在落實24小時服務時效基礎上,積極推動精耕區域12小時服務時效."""
    CoreArea.create(region="深圳")
    at = dt.datetime(2026, 11, 3, 14, 0)
    core = received(make_record, Repair, at, customer=make_customer(region="深圳"))
    plain = received(make_record, Repair, at)
    done = received(make_record, Repair, at, status="closed")
    closed_complaint = received(make_record, Complaint, at, status="closed")
    admin_client.post(PAGE, data=form(repair_response_hours="48", repair_response_core_hours="6"))
    admin_client.post(RECOMPUTE, data={})
    assert Repair.get_by_id(core.id).response_due == at + dt.timedelta(hours=6)
    assert Repair.get_by_id(plain.id).response_due == at + dt.timedelta(hours=48)
    assert Repair.get_by_id(done.id).response_due == at + dt.timedelta(hours=24)
    assert Complaint.get_by_id(closed_complaint.id).investigation_due == closed_complaint.investigation_due
    assert RecomputeLog.get().changed == 2


def test_changed_grading_thresholds_drive_the_recompute(admin_client, make_customer):
    customer = make_customer(designation="B", staff_count=25)
    admin_client.post(PAGE, data=form(grading_small_staff="30"))
    admin_client.post(f"/admin/customer/grading/recompute?ids={customer.id}", data={})
    assert Customer.get_by_id(customer.id).grade_reasons == "small_company"


def test_settings_are_read_once_per_request(app, admin_client):
    admin_client.post(PAGE, data=form(retention_years="4"))
    # each request gets a fresh app context (and `g`), as under a real server
    with app.app_context(), app.test_request_context():
        assert store.get("retention_years") == 4
        RuleSetting.update(value="9").execute()
        assert store.get("retention_years") == 4  # cached for this request
    with app.app_context(), app.test_request_context():
        assert store.get("retention_years") == 9  # the next request sees the change


def test_migration_moves_the_grading_thresholds_and_their_history(tmp_path):
    """Upgrading a database that has grading_settings keeps an admin's thresholds and their change log."""
    from admin_app import migrate
    from admin_app.db import open_database

    database = open_database(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(database, target="0001_initial")
    with database.connection_context():
        database.execute_sql("INSERT INTO grading_settings (created_at, updated_at, version, receivable_high, "
                             "receivable_low, receivable_ratio, min_staff, new_customer_months) "
                             "VALUES ('2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 300000, 200000, 0.25, 30, 12)")
        database.execute_sql("INSERT INTO grading_settings_change (created_at, updated_at, version, setting, "
                             "old_value, new_value, username, at) VALUES ('2026-01-01 00:00:00', "
                             "'2026-01-01 00:00:00', 1, 'min_staff', '20', '30', 'boss', '2026-01-01 00:00:00')")
    migrate.upgrade(database)
    with database.connection_context():
        stored = dict(database.execute_sql("SELECT key, value FROM rule_setting").fetchall())
        logged = database.execute_sql("SELECT key, old_value, new_value, username FROM rule_setting_change").fetchall()
        tables = database.get_tables()
    assert stored == {"grading_receivable_high": "300000", "grading_receivable_low": "200000",
                      "grading_receivable_ratio": "0.25", "grading_small_staff": "29",
                      "grading_new_customer_months": "12"}
    assert logged == [("grading_small_staff", "20", "30", "boss")]
    assert "grading_settings" not in tables and "grading_settings_change" not in tables


def test_settings_drive_retention_returns_and_the_complainant_window(app, admin_client, make_record):
    """Each rule reads its setting: retention years, the return window and the complainants always surveyed."""
    from admin_app.services.surveys.survey import complainer_ids
    from admin_app.services.workflow.states import return_policy
    from models import ReturnExchange

    today = dt.date.today()
    closed = make_record(Complaint, closed_at=dt.datetime.combine(today, dt.time(9)) - dt.timedelta(days=365 * 4),
                         status="closed")
    late = make_record(ReturnExchange, purchase_date=today - dt.timedelta(days=150), quality_problem=True)
    earlier = make_record(Complaint, received_at=dt.datetime.combine(today - dt.timedelta(days=400), dt.time(9)))
    assert f'value="{closed.id}"' in admin_client.get("/admin/retention/").get_data(as_text=True)
    with app.test_request_context():
        assert return_policy(late, today)
    assert earlier.customer_id not in complainer_ids(today)
    admin_client.post(PAGE, data=form(retention_years="5", return_window_months="6", survey_complainant_months="18"))
    assert f'value="{closed.id}"' not in admin_client.get("/admin/retention/").get_data(as_text=True)
    with app.app_context(), app.test_request_context():
        assert return_policy(late, today) is None
    assert earlier.customer_id in complainer_ids(today)


def test_survey_coverage_of_regular_customers_against_60_percent(app, make_customer, make_record):
    """004 第5篇 4.3.4 a): 「調查數為常住戶的60%以上」 — 3 of 5 regular customers surveyed meets 60%; 2 of 5 not."""
    from survey_helpers import CONSENTED, dispatch

    from admin_app.services.settings import kpi

    regular = [make_customer(**CONSENTED) for _ in range(5)]
    for customer in regular:
        make_record(Complaint, customer=customer, received_at=dt.datetime.now() - dt.timedelta(days=30))
    dormant = make_customer(**CONSENTED)
    make_record(Complaint, customer=dormant, received_at=dt.datetime.now() - dt.timedelta(days=500))
    dispatch([regular[0].id, regular[1].id, dormant.id])
    assert kpi.survey_coverage() == (2, 5)
    assert kpi.meets(2, 5, store.get("target_survey_coverage"), "≥") is False
    dispatch([regular[2].id])
    assert kpi.survey_coverage() == (3, 5)
    assert kpi.meets(3, 5, store.get("target_survey_coverage"), "≥") is True
