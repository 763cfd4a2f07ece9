"""Read the interface text of a rendered page: what a user sees, minus the data they typed."""
import html
import json
import re
from html.parser import HTMLParser

from models import ALL_MODELS

#: code, styles, what a user typed into a text box, and literal samples of input (<code>2026年11月23日</code>)
SKIPPED_TAGS = ("script", "style", "template", "code", "kbd", "textarea")
#: attributes whose text a user reads (tooltips, placeholders, button captions)
READ_ATTRIBUTES = {"placeholder", "data-placeholder", "title", "aria-label", "alt", "data-original-title",
                   "data-confirm"}
#: Latin words allowed in the Chinese interface: file formats, units, standards, product names
LATIN_ALLOWED = {"Excel", "CSV", "PDF", "xlsx", "csv", "ID", "IP", "URL", "SMTP", "TOTP", "A4", "SQL", "WAL",
                 "PostgreSQL", "SQLite", "Redis", "Huey", "km", "kg", "cm", "mm", "QR", "KPI", "Email", "email",
                 "e-mail", "E-mail", "UTF", "GBK", "MB", "KB", "GB", "Chrome", "Firefox", "Safari", "Edge",
                 "Chromium", "Windows", "Linux", "iPhone", "Android", "Mac", "OS", "English",
                 "retired", "cf"}  # literal syntax an admin types: "| retired" retires an option; cf_ prefixes columns
#: Chinese allowed in the English interface: the language menu names Chinese in Chinese
CJK_ALLOWED = {"中文", "简体中文"}
#: stored codes, not typed text: their labels are interface text
CODE_FIELDS = {"changes", "password_hash", "table_name", "operation", "action", "token", "reasons", "grade_reasons"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


class _Text(HTMLParser):
    """Collect visible text nodes and user-read attributes, skipping scripts, styles and hidden data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED_TAGS:
            self._skip += 1
        for name in READ_ATTRIBUTES & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._skip or not data.strip():
            return
        try:  # a JSON blob for the page's scripts: its values are read, its keys are code
            self.parts.extend(_json_strings(json.loads(data)))
        except ValueError:
            self.parts.append(data)


def _json_strings(value):
    """Return the string values (not the keys) nested in decoded JSON."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in _json_strings(item)]
    return []


def _filter_texts(blob):
    """Return the operation and option labels of Flask-Admin's filter menu data."""
    try:
        groups = json.loads(blob)
    except ValueError:
        return []
    texts = []
    for filters in groups.values():
        for flt in filters:
            texts.append(flt.get("operation", ""))
            for option in flt.get("options") or ():
                texts.append(str(option[1]) if isinstance(option, list | tuple) else str(option))
    return texts


FILTER_DATA = re.compile(r'(<div id="filter-groups-data"[^>]*>)(.*?)(</div>)', re.S)


def visible_texts(page):
    """Return the texts a user reads on an HTML page, the filter menu's JSON data included."""
    texts = []
    for found in FILTER_DATA.finditer(page):
        texts.extend(_filter_texts(html.unescape(found.group(2))))
    parser = _Text()
    parser.feed(FILTER_DATA.sub(r"\1\3", page))
    return parser.parts + texts


def data_pattern():
    """Return a regex matching every text value stored in the database (what users typed, not the UI)."""
    values = set()
    for model in ALL_MODELS:
        names = [f.name for f in model._meta.sorted_fields
                 if f.field_type in ("VARCHAR", "TEXT", "CHAR") and not f.choices and f.name not in CODE_FIELDS]
        if not names:
            continue
        for row in model.select(*[getattr(model, n) for n in names]).tuples().iterator():
            for value in row:
                if isinstance(value, str):
                    values.update(part.strip() for part in value.splitlines() if len(part.strip()) >= 2)
    values = sorted(values, key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in values)) if values else None


def leftovers(texts, language, data):
    """Return the words of the other language in `texts`, once each, with data values removed."""
    found = []
    for text in texts:
        if "***" in text:
            continue  # a masked value: what is left of the data shown with its middle starred out
        text = data.sub(" ", text) if data else text
        if language.startswith("zh"):
            words = [w for w in LATIN_WORD.findall(text) if w not in LATIN_ALLOWED]
        else:
            words = [w for w in CJK.findall(text) if w not in CJK_ALLOWED]
        found.extend(f"{w!r} in {text.strip()[:60]!r}" for w in words)
    return sorted(set(found))
