"""The full pinyin's own index (customer_pinyin) finds exactly what LIKE on the key finds (issue 13 item 7)."""
import pytest

from admin_app.services.lists import pinyin_key, search, search_reads
from models import Customer, db
from tests.test_fastlist import index_ids, like_ids, listed_names, sqlite_only

LONG = ("北京" + "重长行乐" * 25)[:100]  # one spelling of 600 letters: past the short index's old 255 positions
NAMES = ["重庆严静薇商贸有限公司", "欧阳晶", "曾国藩书店", "Acme2024上海分公司", "顧客服務中心", LONG, "杨洋"]
LONG_TAIL = pinyin_key.search_key(LONG).split("|")[0].split()[0][-12:]


@pytest.fixture()
def named(make_customer):
    return {name: make_customer(name=name) for name in NAMES}


def probed_ids(term):
    """Return the ids the row-by-row probe (the plan for words past the count cap) accepts."""
    condition = search_reads.row_matches(db.obj, term, Customer.id, Customer.notes)
    return {c.id for c in Customer.select(Customer.id).where(condition)}


@sqlite_only
@pytest.mark.parametrize("typed, holder", [
    ("yanjingweishang", "重庆严静薇商贸有限公司"),   # 15 letters: three 5-letter pieces
    ("anjingwei", "重庆严静薇商贸有限公司"),         # starts inside a syllable
    ("YanJingWei", "重庆严静薇商贸有限公司"),        # upper case folds
    ("严jingwei", "重庆严静薇商贸有限公司"),         # mixed: its pinyin in the key
    ("ouyangjing", "欧阳晶"),
    ("yang", "欧阳晶"),                              # 4 letters: two 3-letter pieces
    ("ouy", "欧阳晶"),                               # 3 letters: one piece
    ("jingw", "重庆严静薇商贸有限公司"),             # 5 letters: one piece
    ("cengguofan", "曾国藩书店"),                    # another reading of 曾
    ("acme2024shang", "Acme2024上海分公司"),         # letters and digits of the name run into the pinyin
    ("gukefuwu", "顧客服務中心"),                    # traditional name
    (LONG_TAIL, LONG),                               # the end of a 600-letter spelling
    ("yangyangx", None),                             # its pieces, not the word: re-checked away
])
def test_pinyin_words_find_what_like_finds(app, named, typed, holder):
    expected = like_ids(typed)
    assert index_ids(typed) == expected == probed_ids(typed)
    assert named[holder].id in expected if holder else expected == set()


@sqlite_only
def test_a_renamed_or_deleted_customer_leaves_the_pinyin_index(app, admin_client, named):
    """The triggers keep the index in step: the old name's pinyin finds nobody, the new one finds the customer."""
    customer = named["欧阳晶"]
    customer.name = "司马光"
    customer.save()
    assert index_ids("ouyangjing") == like_ids("ouyangjing") == set()
    assert index_ids("simaguang") == {customer.id}
    page = admin_client.get("/admin/customer/", query_string={"search": "simaguang"})
    assert listed_names(page) == ["司马光"]
    customer.delete_instance()
    assert index_ids("simaguang") == set()


def test_the_longest_name_fits_the_index_positions():
    """Every letter of the longest name's (100 characters) full pinyin can start a piece."""
    full = pinyin_key.search_key(LONG).split("|")[0].strip()
    assert len(full) <= search.MAX_POSITION
