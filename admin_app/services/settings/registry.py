"""Every rule setting: its default (the seed's value), unit, limits, and the seed sentence it comes from.

The quotes are the seed files' own text (/work/shared/seeds, file and article). How a bound reads follows
Civil Code art. 1259: 以上/以下/以内/届满 include the number, 不满/未满/超过 exclude it.
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from admin_app.services.settings import seed_english

GROUPS = (("deadlines", _l("Deadlines")), ("returns", _l("Returns")), ("surveys", _l("Surveys")),
          ("retention", _l("Retention")), ("kpi", _l("KPI targets")), ("grading", _l("Credit grading")))
UNITS = {"workdays": _l("working days"), "hours": _l("hours"), "months": _l("months"), "years": _l("years"),
         "percent": "%", "yuan": _l("yuan"), "people": _l("people"), "ratio": _l("ratio"), "choice": ""}
#: pinyin glosses some seed files carry after a character, e.g. 達(dá): dropped when a quote is shown
_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@dataclass(frozen=True)
class Seed:
    """Where a figure comes from: seed file, article and the sentence as written."""

    file: str
    article: str
    quote: str

    @property
    def shown(self):
        """Return the quote without the pinyin glosses."""
        return _GLOSS.sub("", self.quote)

    @property
    def where(self):
        """Return the article without the pinyin glosses."""
        return _GLOSS.sub("", self.article)

    @property
    def read(self):
        """Return the quote in the reader's language: the seed's own words in Chinese, a rendering in English."""
        return seed_english.read(self.shown)

    @property
    def lang(self):
        """Return the language the quote is read in: "zh" or "en"."""
        return seed_english.language(self.read)

    @property
    def read_where(self):
        """Return the article in the reader's language."""
        return seed_english.read(self.where)


@dataclass(frozen=True)
class Setting:
    """One rule setting. `bound` says how the value is compared (e.g. '≥', '≤', '<'); kind: int|decimal|choice."""

    key: str
    group: str
    label: object
    unit: str
    default: object
    low: object = 0
    high: object = None
    kind: str = "int"
    seed: Seed = None
    bound: str = ""
    note: object = ""
    choices: tuple = ()
    #: False when the seed sentence names no figure (the default is then a house choice)
    named: bool = True


S000, S001, S002, S004 = "000_4ba60df2ad23492a.txt", "001_d927115db9c2e9ac.txt", "002_ccb284307b81c9b8.txt", \
    "004_0c83d19c3eb037d7.txt"
NO_SEED = _l("The seeds name no figure for this: it is a house rule.")
DENOMINATORS = (("active", _l("Customers with activity in the period")), ("all", _l("All customers on file")))

SETTINGS = (
    Setting("complaint_investigation_workdays", "deadlines", _l("Complaint investigation"), "workdays", 3, 1, 60,
            seed=Seed(S002, "第五篇 藥品售后管理制度", "質(zhì)量管理員應(yīng)在一周內(nèi)(3個工作日內(nèi))完成質(zhì)量投訴的調(diào)查"),  # noqa: E501 (seed quote)
            bound="≤", note=_l("“Within” includes the number: due on the 3rd working day after receipt.")),
    Setting("repair_response_hours", "deadlines", _l("Repair response"), "hours", 24, 1, 720,
            seed=Seed(S002, "第一篇 一.服務(wù)時效 3", "櫻花公司在落實24小時服務(wù)時效基礎(chǔ)上"), bound="≤"),
    Setting("repair_response_core_hours", "deadlines", _l("Repair response in core areas"), "hours", 12, 1, 720,
            seed=Seed(S002, "第一篇 一.服務(wù)時效 3", "積極推動精耕區(qū)域12小時服務(wù)時效"), bound="≤"),
    Setting("feedback_reply_workdays", "deadlines", _l("Feedback reply"), "workdays", 5, 1, 60, note=NO_SEED),
    Setting("return_decision_workdays", "deadlines", _l("Return / exchange decision"), "workdays", 3, 1, 60,
            note=NO_SEED),
    Setting("return_window_months", "returns", _l("Return window after shipment"), "months", 3, 1, 60,
            seed=Seed(S004, "第12篇 5.1.4", "原則上只有在三個(gè)月內(nèi)出廠的產(chǎn)品因本身質(zhì)量問題所引起的才能辦理退貨"),  # noqa: E501 (seed quote)
            bound="≤", note=_l("“Within” includes the last day of the window.")),
    Setting("survey_complainant_months", "surveys", _l("Complainants always included in survey samples: "
                                                        "complaints within the last"), "months", 12, 1, 120,
            seed=Seed(S004, "第5篇 4.3.4 b)", "對(duì)平時(shí)有投訴的顧客在問卷調(diào)查時(shí)應(yīng)該覆蓋到"),
            named=False, note=_l("The seed says “usually” and names no period.")),
    Setting("regular_customer_months", "surveys", _l("Regular customer: activity within the last"), "months", 12,
            1, 120, seed=Seed(S004, "第5篇 4.3.4 a)", "調(diào)查數(shù)為常住戶的60%以上"),
            named=False, note=_l("The seed names no period for “regular customers”.")),
    Setting("retention_years", "retention", _l("Records kept at least"), "years", 3, 1, 50,
            seed=Seed(S004, "第12篇 8.0", "記錄本程序中所要求的所有記錄至少保存3年"), bound="≥",
            note=_l("“At least”: destroyed only after the full period has passed.")),
    Setting("target_satisfaction", "kpi", _l("Satisfaction rate"), "percent", Decimal(90), 0, 100, kind="decimal",
            seed=Seed(S000, "商场顾客服务管理制度 第五条", "顾客满意度达到90%以上"), bound="≥"),
    Setting("target_complaint_rate", "kpi", _l("Complaint rate"), "percent", Decimal(2), 0, 100, kind="decimal",
            seed=Seed(S000, "商场顾客服务管理制度 第五条", "投诉率控制在2%以内"), bound="≤"),
    Setting("complaint_rate_denominator", "kpi", _l("Complaint rate: customers counted"), "choice", "active",
            kind="choice", choices=DENOMINATORS,
            note=_l("The seed names the target, not the formula: complaints received in the period ÷ these "
                    "customers.")),
    Setting("target_resolution", "kpi", _l("Complaint resolution rate"), "percent", Decimal(80), 0, 100,
            kind="decimal", seed=Seed(S001, "(4)投诉处理工作质量要求 ①", "对投诉事故处理原则上办结率不得低于80%"),
            bound="≥"),
    Setting("target_response_q4", "kpi", _l("Response rate: yearly Q4 survey"), "percent", Decimal(50), 0, 100,
            kind="decimal", seed=Seed(S004, "第2篇 5.2.1", "調(diào)查表的回收率應(yīng)達(dá)到50%以上"), bound="≥"),
    Setting("target_response_opinion", "kpi", _l("Response rate: opinion forms"), "percent", Decimal(75), 0, 100,
            kind="decimal", seed=Seed(S004, "第3篇 (2) b", "回收率不低于發(fā)放數(shù)量75%"), bound="≥"),
    Setting("target_response_survey", "kpi", _l("Response rate: satisfaction questionnaires"), "percent",
            Decimal(80), 0, 100, kind="decimal",
            seed=Seed(S004, "第5篇 4.3.4 c)", "問卷回收數(shù)量應(yīng)達(dá)到發(fā)放數(shù)量的80%以上"), bound="≥"),  # noqa: E501 (seed quote)
    Setting("target_survey_coverage", "kpi", _l("Survey coverage of regular customers"), "percent", Decimal(60),
            0, 100, kind="decimal", seed=Seed(S004, "第5篇 4.3.4 a)", "調(diào)查數(shù)為常住戶的60%以上"), bound="≥"),
    Setting("grading_receivable_high", "grading", _l("High receivable: C at or above, unless A"), "yuan",
            Decimal(500000), Decimal("0.01"), Decimal("1e12"), kind="decimal",
            seed=Seed(S004, "第13篇 顧客的級(jí)別分類 (三) 2", "尚欠帳款者(達(dá)50萬元以上)a等級(jí)以外的公司"), bound="≥"),  # noqa: E501 (seed quote)
    Setting("grading_receivable_low", "grading", _l("Low receivable: C up to this when large against trade"),
            "yuan", Decimal(200000), 0, Decimal("1e12"), kind="decimal",
            seed=Seed(S004, "第13篇 顧客的級(jí)別分類 (三) 3", "尚欠帳款者達(dá)20萬元或未滿的公司"), bound="≤"),
    Setting("grading_receivable_ratio", "grading", _l("Receivable ÷ 12-month trade that counts as large"), "ratio",
            Decimal("0.5"), Decimal("0.001"), 10, kind="decimal",
            seed=Seed(S004, "第13篇 顧客的級(jí)別分類 (三) 3", "其大小比例與本公司的交易額比較多的店"), bound="≥",
            named=False, note=_l("The seed says “rather large” and names no figure.")),
    Setting("grading_small_staff", "grading", _l("Small company: C at this many staff or fewer"), "people", 20, 0,
            100000, seed=Seed(S004, "第13篇 顧客的級(jí)別分類 (三) 4", "從業(yè)人員20人以下的小公司或個(gè)人商店"), bound="≤",  # noqa: E501 (seed quote)
            note=_l("“Or fewer” includes the number: a company of exactly 20 staff is C.")),
    Setting("grading_new_customer_months", "grading", _l("New customer stays C for"), "months", 12, 0, 120,
            seed=Seed(S004, "第13篇 顧客的級(jí)別分類 (三) 7", "新開發(fā)顧客(不問其規(guī)模如何,一年間將其列為c等級(jí)。)"),  # noqa: E501 (seed quote)
            bound="<"),
)
BY_KEY = {setting.key: setting for setting in SETTINGS}
#: settings that change stored due dates, so saving one offers to recompute open records
DUE_DATE_KEYS = frozenset({"complaint_investigation_workdays", "repair_response_hours", "repair_response_core_hours"})


def defaults():
    """Return {key: default value} of every setting."""
    return {setting.key: setting.default for setting in SETTINGS}
