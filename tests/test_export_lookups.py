"""An export names each row's owner right across chunks, fetching each owner's label once while memory allows."""
import pytest

from admin_app.services.exchange import xlsx_export as xw
from models import Customer, User

ROOMY = xw.LOOKUP_LIMIT


@pytest.mark.parametrize("limit", [ROOMY, 2])
def test_owner_labels_are_right_in_every_chunk_and_fetched_once(app, make_user, make_customer, monkeypatch, limit):
    monkeypatch.setattr(xw, "LOOKUP_LIMIT", limit)
    owners = [make_user("clerk", display_name=f"业务员{i}") for i in range(3)]
    for i in range(9):
        make_customer(owner=owners[i % 3] if i != 4 else None)
    fetched = []
    real = xw.display_fetcher(User)
    names = {}
    lookups = {1: (names, lambda ids: fetched.append(sorted(ids)) or real(ids))}
    query = Customer.select().order_by(Customer.id)
    labels = [(row[0], names.get(row[1])) for row in xw.stream_rows(query, [Customer.id, Customer.owner], lookups,
                                                                       chunk=2)]
    expected = [(c.id, str(c.owner) if c.owner_id else None) for c in query]
    assert labels == expected
    fetched_ids = [owner_id for batch in fetched for owner_id in batch]
    if limit == ROOMY:
        assert sorted(fetched_ids) == sorted(o.id for o in owners)  # each label read once for the whole export
    else:
        assert len(fetched) > 3 and max(len(batch) for batch in fetched) <= 2  # emptied: memory stays bounded
