"""The seed articles and sentences the rule settings cite, as English readers read them.

Keyed by the Chinese text as shown (glosses dropped); the catalog gives each English rendering back its Chinese
original, so a Chinese page shows the seed's own words and an English page a faithful rendering.
"""
from flask_babel import lazy_gettext as _l

from admin_app.services.lists.pinyin_key import HAN, simplified

ENGLISH = {
    "第五篇 藥品售后管理制度": _l("Part 5, after-sales management of medicines"),
    "第一篇 一.服務時效 3": _l("Part 1, I. service time limits, 3"),
    "第12篇 5.1.4": _l("Part 12, 5.1.4"),
    "第12篇 8.0": _l("Part 12, 8.0"),
    "第5篇 4.3.4 a)": _l("Part 5, 4.3.4 a)"),
    "第5篇 4.3.4 b)": _l("Part 5, 4.3.4 b)"),
    "第5篇 4.3.4 c)": _l("Part 5, 4.3.4 c)"),
    "商场顾客服务管理制度 第五条": _l("Mall customer service rules, article 5"),
    "(4)投诉处理工作质量要求 ①": _l("(4) Quality requirements for complaint handling, 1"),
    "第2篇 5.2.1": _l("Part 2, 5.2.1"),
    "第3篇 (2) b": _l("Part 3, (2) b"),
    "第13篇 顧客的級別分類 (三) 2": _l("Part 13, customer grading (3) 2"),
    "第13篇 顧客的級別分類 (三) 3": _l("Part 13, customer grading (3) 3"),
    "第13篇 顧客的級別分類 (三) 4": _l("Part 13, customer grading (3) 4"),
    "第13篇 顧客的級別分類 (三) 7": _l("Part 13, customer grading (3) 7"),
    "質量管理員應在一周內(3個工作日內)完成質量投訴的調查": _l(
        "The quality administrator shall complete the investigation of a quality complaint within a week "
        "(within 3 working days)"),
    "櫻花公司在落實24小時服務時效基礎上": _l("Sakura, on the basis of carrying out a 24-hour service time limit"),
    "積極推動精耕區域12小時服務時效": _l("actively promote a 12-hour service time limit in intensively served areas"),
    "原則上只有在三個月內出廠的產品因本身質量問題所引起的才能辦理退貨": _l(
        "In principle, only products that left the factory within three months and whose problem comes from their "
        "own quality may be returned"),
    "對平時有投訴的顧客在問卷調查時應該覆蓋到": _l(
        "Customers who usually have complaints should be covered by the questionnaire survey"),
    "調查數為常住戶的60%以上": _l("The number surveyed is 60% or more of the regular customers"),
    "記錄本程序中所要求的所有記錄至少保存3年": _l("All records this procedure requires are kept for at least 3 years"),
    "顾客满意度达到90%以上": _l("Customer satisfaction reaches 90% or more"),
    "投诉率控制在2%以内": _l("The complaint rate is kept within 2%"),
    "对投诉事故处理原则上办结率不得低于80%": _l(
        "In principle, the share of complaints handled to completion shall not be below 80%"),
    "調查表的回收率應達到50%以上": _l("The return rate of survey forms shall reach 50% or more"),
    "回收率不低于發放數量75%": _l("The return rate is not below 75% of the number sent"),
    "問卷回收數量應達到發放數量的80%以上": _l(
        "The number of questionnaires returned shall reach 80% or more of the number sent"),
    "尚欠帳款者(達50萬元以上)a等級以外的公司": _l(
        "Companies other than grade A that owe receivables (of 500,000 yuan or more)"),
    "尚欠帳款者達20萬元或未滿的公司": _l("Companies that owe receivables of 200,000 yuan or less"),
    "其大小比例與本公司的交易額比較多的店": _l(
        "Shops whose receivables are rather large in proportion to their trade with the company"),
    "從業人員20人以下的小公司或個人商店": _l("Small companies with 20 staff or fewer, or one-person shops"),
    "新開發顧客(不問其規模如何,一年間將其列為c等級。)": _l(
        "Newly developed customers (whatever their size, graded C for one year.)"),
}


def read(text):
    """Return a seed article or sentence in the reader's language: in Chinese the seed's words in simplified
    characters (the seeds are partly traditional: 調查表 reads 调查表), in English a rendering where one exists."""
    return simplified(str(ENGLISH[text]) if text in ENGLISH else text)


def language(shown):
    """Return "zh" when a text read() returned is Chinese, else "en" (the lang attribute of a quote)."""
    return "zh" if HAN.search(shown) else "en"
