"""The import services on plain data, without HTTP: a spec instead of a view, progress, cancel, stored plans."""
import datetime as dt
from decimal import Decimal

import pytest

from admin_app.services.exchange import import_commit, import_sql, import_store
from admin_app.services.exchange.import_plan import ImportCancelled, ImportRefused, ImportSpec
from admin_app.services.exchange.importer import Importer
from models import ChangeLog, Customer

FIELDS = ["name", "customer_type", "phone", "region", "receivable", "first_trade_date", "age"]
HEADERS = ["name", "customer_type", "phone", "region", "receivable", "first_trade_date", "age"]


def sheet(rows):
    """Return the sheets read_upload would return for these data rows."""
    return [("Sheet1", [HEADERS, *rows], set())]


def customers(count, start=0):
    return [[f"服务顾客{i}", "company", f"136{i:08d}", "华东", "12.50", "2024-03-01", "40"]
            for i in range(start, start + count)]


@pytest.fixture()
def importer(app):
    return Importer(ImportSpec(Customer, FIELDS, what="customers"))


def test_a_spec_of_plain_data_is_enough_to_check_and_commit(importer):
    reports = []
    plan = importer.check(sheet(customers(3)), progress=lambda done, total: reports.append((done, total)))
    assert [r.action for r in plan.rows] == ["new"] * 3 and reports[-1] == (3, 3)
    counts = import_commit.commit(Customer, plan, actor=(None, "loader"))
    assert counts["new"] == 3 and Customer.select().count() == 3
    assert {e.username for e in ChangeLog.select()} == {"loader"} and ChangeLog.select().count() == 3
    assert Customer.get(Customer.phone == "13600000001").receivable == Decimal("12.50")


def test_a_cancelled_preview_stops_with_nothing_written(importer):
    with pytest.raises(ImportCancelled):
        importer.check(sheet(customers(5)), cancelled=lambda: True)
    assert Customer.select().count() == 0


def test_a_commit_cancelled_midway_rolls_everything_back(importer):
    plan = importer.check(sheet(customers(1200)))
    seen = []

    def cancelled():
        seen.append(1)
        return len(seen) > 1  # after the first batch has been inserted

    with pytest.raises(ImportCancelled):
        import_commit.commit(Customer, plan, cancelled=cancelled)
    assert len(seen) >= 2
    assert Customer.select().count() == 0 and ChangeLog.select().count() == 0


def test_a_failure_after_the_inserts_rolls_everything_back(importer):
    plan = importer.check(sheet(customers(20)))

    def after(ids):
        assert len(ids) == 20 and Customer.select().count() == 20  # written, inside the transaction
        raise RuntimeError("regrading failed")

    with pytest.raises(RuntimeError):
        import_commit.commit(Customer, plan, after=after)
    assert Customer.select().count() == 0 and ChangeLog.select().count() == 0


def test_the_stored_plan_commits_the_same_values_without_the_file(importer):
    plan = import_store.load(Customer, import_store.dump(importer.check(sheet(customers(2)))))
    import_commit.commit(Customer, plan)
    saved = Customer.get(Customer.phone == "13600000000")
    assert (saved.receivable, saved.first_trade_date, saved.age) == (Decimal("12.50"), dt.date(2024, 3, 1), 40)


def test_a_key_taken_after_the_preview_refuses_the_commit(importer, make_customer):
    plan = importer.check(sheet(customers(2)))
    make_customer(phone="13600000001")  # someone adds the same customer between preview and commit
    with pytest.raises(ImportRefused):
        import_commit.commit(Customer, plan)
    assert Customer.select().count() == 1


def test_updates_are_written_with_their_history(importer, make_customer):
    existing = make_customer(phone="13600000000", region="华北")
    plan = importer.check(sheet(customers(1)))
    assert plan.rows[0].action == "update"
    import_commit.commit(Customer, plan)
    assert Customer.get_by_id(existing.id).region == "华东"
    assert ChangeLog.get(ChangeLog.record_id == existing.id).changed()["region"] == ["华北", "华东"]


def test_values_stored_before_the_value_layer_are_brought_to_normal_form(app, make_customer, importer):
    old = make_customer(phone="138０００００042", name="全角电话乙\u3000", notes="第一行\n１２ 个   空格 ")
    runner = app.test_cli_runner()
    counted = runner.invoke(args=["normalise-values"])
    assert "customer: 1 rows to rewrite" in counted.output
    assert Customer.get_by_id(old.id).phone == "138０００００042"  # counting changes nothing
    runner.invoke(args=["normalise-values", "--apply"])
    fixed = Customer.get_by_id(old.id)
    assert (fixed.phone, fixed.name, fixed.notes) == ("13800000042", "全角电话乙", "第一行\n12 个   空格")
    assert ChangeLog.get(ChangeLog.record_id == old.id).changed()["phone"] == ["138０００００042", "13800000042"]
    plan = importer.check(sheet([["全角电话乙", "company", "13800000042", "南京", "0", "2024-03-01", "40"]]))
    assert plan.rows[0].action == "update" and plan.rows[0].record_id == old.id


def test_an_export_stream_reports_progress_per_chunk_and_stops_when_cancelled(app, make_customer):
    from admin_app.services.exchange import xlsx_export as xw

    for _ in range(5):
        make_customer()
    reports = []
    rows = list(xw.stream_rows(Customer.select(), [Customer.id, Customer.name], {}, chunk=2,
                               progress=lambda done, total: reports.append(done)))
    assert len(rows) == 5 and reports == [2, 4, 5]
    with pytest.raises(xw.ExportCancelled):
        list(xw.stream_rows(Customer.select(), [Customer.id], {}, chunk=2, cancelled=lambda: True))


@pytest.mark.parametrize("chunk", [2, 5_000])
def test_phones_are_matched_and_checked_whatever_the_lookup_size(importer, make_customer, monkeypatch, chunk):
    """Phones are looked up IN_CHUNK at a time (import_sql): existing customers are found across lookups, and a
    phone taken after the preview is refused in whichever lookup it falls."""
    monkeypatch.setattr(import_sql, "IN_CHUNK", chunk)
    existing = [make_customer(phone=f"136{i:08d}", region="华北").id for i in (0, 2, 4)]
    plan = importer.check(sheet(customers(6)))
    assert [(r.action, r.record_id) for r in plan.rows if r.action == "update"] == [("update", i) for i in existing]
    make_customer(phone="13600000005")  # added by someone else between the preview and the commit
    with pytest.raises(ImportRefused, match="第 7 行"):  # sheet row 7: the sixth customer
        import_commit.commit(Customer, plan)
    assert Customer.select().count() == 4 and Customer.select().where(Customer.region == "华东").count() == 0
