"""The fast reader (python-calamine) and openpyxl give an import the same rows, and unusual files take openpyxl."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from admin_app.services.exchange import import_files
from admin_app.services.exchange.import_files import Formula, read_upload


def book_bytes(fill):
    book = openpyxl.Workbook()
    fill(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def varied(book):
    sheet = book.active
    sheet.title = "顾客"
    sheet["B3"] = "名称"
    sheet["C3"] = "开发日期"
    sheet.append([None, "第一行\r\n换行", dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 2, 10, 30), dt.time(8, 15),
                  5, 5.5, -3, 13712345678, True, Decimal("12.50"), "", " 空格 "])
    sheet.append([None, "_x000D_ 字面", dt.date(2023, 12, 31), 0, 0.0, 1e20])
    sheet.merge_cells("B7:D8")
    sheet["B7"] = "合并"
    book.create_sheet("空表")
    book.create_sheet("第三").append(["a", None, "c"])


def through_openpyxl(monkeypatch, data):
    def refuse(*args):
        raise RuntimeError("not calamine")
    with monkeypatch.context() as patch:
        patch.setattr(import_files, "_read_calamine", refuse)
        return read_upload("x.xlsx", data, 10 * 1024 * 1024)


def trimmed(sheets):
    """Drop the trailing blank rows and cells each reader pads to its own idea of the sheet's size."""
    out = []
    for name, rows, merged in sheets:
        rows = [list(row) for row in rows]
        for row in rows:
            while row and row[-1] is None:
                row.pop()
        while rows and not rows[-1]:
            rows.pop()
        out.append((name, rows, merged))
    return out


def test_a_plain_workbook_reads_the_same_through_both_readers(monkeypatch):
    data = book_bytes(varied)
    fast = read_upload("x.xlsx", data, 10 * 1024 * 1024)
    slow = through_openpyxl(monkeypatch, data)
    assert trimmed(fast) == trimmed(slow)
    assert [type(v) for v in fast[0][1][3][2:9]] == [dt.datetime, dt.datetime, dt.time, int, float, int, int]
    assert fast[0][2] == {7, 8}


def test_a_workbook_with_a_formula_is_read_by_openpyxl_and_the_formula_kept(monkeypatch):
    def with_formula(book):
        book.active.append(["名称", "电话"])
        book.active.append(["甲", "=1+1"])
    calls = []
    real = import_files._read_calamine
    monkeypatch.setattr(import_files, "_read_calamine", lambda *a: calls.append(1) or real(*a))
    sheets = read_upload("x.xlsx", book_bytes(with_formula), 10 * 1024 * 1024)
    assert not calls and isinstance(sheets[0][1][1][1], Formula)


@pytest.mark.parametrize("mark,refused", [(b"<!DOCTYPE x>", False), (b"<!DOCTYPE x [<!ENTITY x 'y'>]>", True)])
def test_a_workbook_with_a_dtd_never_reaches_the_fast_reader(monkeypatch, mark, refused):
    """Only openpyxl with defusedxml judges DTDs: entities are refused, a bare DOCTYPE is read as before."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(book_bytes(varied)))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                part = part.replace(b"<workbook", mark + b"<workbook", 1)
            out.writestr(info, part)
    monkeypatch.setattr(import_files, "_read_calamine", lambda *a: pytest.fail("fast reader used"))
    if refused:
        with pytest.raises(import_files.ImportFileError):
            read_upload("x.xlsx", target.getvalue(), 10 * 1024 * 1024)
    else:
        assert read_upload("x.xlsx", target.getvalue(), 10 * 1024 * 1024)[0][0] == "顾客"
