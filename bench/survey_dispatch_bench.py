"""Benchmark a survey dispatch: preview (exclusions + sample) and the batch commit with its invitations.

Usage: nice .venv/bin/python bench/survey_dispatch_bench.py [--customers 100000] [--channel email|sms|phone|letter]
       [--db /tmp/survey_bench.db]
Builds N customers (95% with consent, 2% who complained this year), then times plan_dispatch() and
create_batch() (one transaction: the batch, N invitations with 192-bit tokens and, for email, N outbox rows
by INSERT…SELECT). Target: the commit for 100,000 customers under 20 s on SQLite.
"""
import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(rows):
    """Insert `rows` customers and a few complaints with multi-row INSERTs."""
    from models import Complaint, Customer, db

    rng = random.Random(4)
    today = dt.date.today()
    fields = [Customer.name, Customer.customer_type, Customer.phone, Customer.email, Customer.address,
              Customer.consent_date, Customer.grade, Customer.grade_reasons, Customer.receivable,
              Customer.trade_volume_12m]
    data = [(f"顾客{i}", "company", f"139{i:08d}", f"c{i}@example.com", f"上海市{i}号",
             today - dt.timedelta(days=400) if rng.random() < 0.95 else None, "C", "not_designated", 0, 0)
            for i in range(rows)]
    with db.atomic():
        for start in range(0, rows, 5000):
            Customer.insert_many(data[start:start + 5000], fields=fields).execute()
        now = dt.datetime.now()
        complaints = [(cid, "李女士", now - dt.timedelta(days=20), "phone", "service_quality", "态度冷淡")
                      for cid in rng.sample(range(1, rows + 1), rows // 50)]
        Complaint.insert_many(complaints, fields=[Complaint.customer, Complaint.complainant, Complaint.received_at,
                                                  Complaint.channel, Complaint.complaint_type,
                                                  Complaint.content]).execute()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--channel", default="email", choices=("email", "sms", "phone", "letter"))
    parser.add_argument("--db", default="/tmp/survey_bench.db")
    args = parser.parse_args()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)

    from admin_app import create_app
    from admin_app.db import create_schema
    from admin_app.services.surveys.survey import create_batch, load_reference_questionnaire, plan_dispatch
    from admin_app.services.surveys.survey_export import email_parts
    from models import Customer, Invitation, OutboxMessage, db

    app = create_app({"DATABASE_URL": f"sqlite:///{args.db}", "SECRET_KEY": "bench"})
    create_schema()
    with app.test_request_context(), db.connection_context():
        build(args.customers)
        questionnaire = load_reference_questionnaire()
        expires = dt.date.today() + dt.timedelta(days=30)
        started = time.perf_counter()
        plan = plan_dispatch(Customer.select(), args.channel, percent=100, exclude_days=90)
        planned = time.perf_counter()
        message = email_parts("https://service.example.com/s/", expires) if args.channel == "email" else None
        batch = create_batch(plan, questionnaire, args.channel, expires, selection="bench", message=message)
        committed = time.perf_counter()
        invitations = Invitation.select().where(Invitation.batch == batch.id).count()
        mails = OutboxMessage.select().count()
    print(f"customers={args.customers} channel={args.channel} eligible={len(plan.eligible)} "
          f"excluded={dict(plan.excluded)} complainers={plan.always_count}")
    print(f"preview (exclusions + sample size): {planned - started:.2f} s")
    print(f"batch commit ({invitations} invitations, {mails} outbox rows): {committed - planned:.2f} s")
    print(f"total dispatch: {committed - started:.2f} s  (target < 20 s for 100,000)")


if __name__ == "__main__":
    main()
