"""My work's counts, read by each user's own ids, equal the same conditions asked of every record."""
import datetime as dt
import os

import pytest

from admin_app.services.workflow import deadlines
from models import Complaint, Feedback, Repair, ReturnExchange, db

NOW = dt.datetime.now().replace(microsecond=0)
TODAY = dt.date.today()


@pytest.fixture()
def work(make_record, make_user):
    """A user's records in every role and due state, beside another user's."""
    me, other = make_user("clerk"), make_user("clerk")
    for person in (me, other):
        make_record(Repair, technician=person, response_due=NOW - dt.timedelta(hours=1))
        make_record(Repair, owner=person, response_due=dt.datetime.combine(TODAY, dt.time(23, 59, 59)))
        make_record(Repair, owner=person, response_due=NOW + dt.timedelta(days=3))
        make_record(Repair, owner=person, status="followed_up")
        make_record(Complaint, owner=person, investigation_due=TODAY - dt.timedelta(days=1))
        make_record(Complaint, owner=person, investigation_due=TODAY)
        make_record(Complaint, legal_contact=person, investigation_due=TODAY - dt.timedelta(days=4))
        make_record(Feedback, technician=person, feedback_date=TODAY - dt.timedelta(days=30))
        make_record(Feedback, owner=person, feedback_date=TODAY)
        make_record(ReturnExchange, owner=person)
    return me


def _everyone(model, user_id, condition):
    """Count a condition over every open record, the user's found by owner, technician or legal contact."""
    mine = model.owner == user_id
    if model in (Repair, Feedback):
        mine |= model.technician == user_id
    if model is Complaint:
        mine |= (Complaint.legal_contact == user_id) & Complaint.legal_signoff_at.is_null()
    query = model.select().where(deadlines.open_condition(model), mine)
    return query.where(condition(model)).count() if condition else query.count()


@pytest.mark.parametrize("limit", [1, 200])  # 1: more records than read, counted over the whole query
def test_my_counts_equal_the_conditions_over_every_record(app, work, limit):
    counts, rows = deadlines.my_work(work.id, limit=limit)
    for model in deadlines.WORKFLOW_MODELS:
        assert counts[model] == {"open": _everyone(model, work.id, None),
                                 "due_today": _everyone(model, work.id, deadlines.due_today_condition),
                                 "overdue": _everyone(model, work.id, deadlines.overdue_condition)}, model
    assert counts[Repair] == {"open": 3, "due_today": 1, "overdue": 1}
    assert counts[Complaint]["overdue"] == 2 and counts[Complaint]["due_today"] == 1
    assert all(row["record"].id for row in rows)


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's statistics and planner")
def test_my_records_are_found_by_index_when_statistics_say_no_complaint_has_a_legal_contact(app, make_record,
                                                                                           make_user):
    """Once ANALYZE has seen an office's complaints without a legal contact, my work still reads a user's open
    complaints by index: before, SQLite judged that index useless and read every complaint (25–40 ms at 200,000)."""
    me = make_user("clerk")
    make_record(Complaint, owner=me)
    copied = ", ".join(f'"{f.column_name}"' for f in Complaint._meta.sorted_fields if f.name != "id")
    db.execute_sql(f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
                   f"INSERT INTO complaint ({copied}) SELECT {copied} FROM complaint, n")
    db.execute_sql("ANALYZE")
    for model in deadlines.WORKFLOW_MODELS:
        sql, params = model.select(model.id).where(deadlines.open_condition(model),
                                                   deadlines.mine_condition(model, me.id)).sql()
        plan = [row[-1] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
        assert not [step for step in plan if step.startswith("SCAN")], (model, plan)
