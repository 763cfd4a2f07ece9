"""Every string of our own exists in Simplified Chinese as well as English."""
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "admin_app/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2),
            "lazy_ngettext": (1, 2)}
SKIP_DIRS = {".venv", "tests", "bench", "node_modules", ".git", "instance"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _source_messages():
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]

    def keep(path):
        return not (set(Path(path).parts) & SKIP_DIRS)

    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS, callback=None, strip_comment_tags=True,
        directory_filter=lambda d: Path(d).name not in SKIP_DIRS,
    ):
        if keep(filename):
            key = message if isinstance(message, str) else message[0]
            if key:
                found.setdefault(key, filename)
    return found


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as handle:
        return {
            (m.id if isinstance(m.id, str) else m.id[0]): (m.string if isinstance(m.string, str) else m.string[0])
            for m in read_po(handle, locale="zh_Hans_CN") if m.id
        }


def test_every_message_has_a_chinese_translation(catalog):
    missing = {msg: where for msg, where in _source_messages().items() if not catalog.get(msg)}
    assert not missing, f"untranslated: {list(missing.items())[:20]}"


def test_translations_keep_their_placeholders(catalog):
    broken = [msg for msg, text in catalog.items()
              if text and sorted(PLACEHOLDER.findall(msg)) != sorted(PLACEHOLDER.findall(text))]
    assert not broken
