"""A simulated clerk for the load test: a cookie-keeping HTTP client that fills and posts real forms."""
import http.cookiejar
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

TIMEOUT = 60


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 after a save is the answer we want to see


class FormReader(HTMLParser):
    """Collect the fields of the first form that has a row_version (or of the only form): name -> value."""

    def __init__(self, marker="csrf_token"):
        super().__init__()
        self.forms, self._current, self._select, self._textarea, self.marker = [], None, None, None, marker

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "option" and self._select and self._current is not None and "selected" in attrs:
            self._current[self._select] = attrs.get("value", "")
        elif tag == "form":
            self._current = {}
            self.forms.append(self._current)
        elif self._current is None or "name" not in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self._current[attrs["name"]] = attrs.get("value") or ("y" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = attrs["name"]
            self._current.setdefault(self._select, "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._current[self._textarea] = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._current = None

    def handle_data(self, data):
        if self._textarea and self._current is not None:
            self._current[self._textarea] += data

    def form_with(self, field):
        return next((form for form in self.forms if field in form), None)


def read_form(html, field):
    """Return the values of the page's form that contains `field`, or None."""
    reader = FormReader()
    reader.feed(html)
    return reader.form_with(field)


class Clerk:
    """One logged-in user; every request is logged as (kind, ms, ok)."""

    def __init__(self, base, rng):
        self.base, self.rng, self.log = base, rng, []
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def request(self, kind, path, data=None, expect=(200,)):
        """Send one request; return (status, body text). Unexpected status or no answer counts as an error."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=TIMEOUT) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read()
        except OSError:
            status, text = None, b""
        self.log.append((kind, (time.perf_counter() - started) * 1000, status in expect))
        return status, text.decode("utf-8", errors="replace") if kind != "export" else text

    def get(self, kind, path):
        return self.request(kind, path)

    def login(self, username, password):
        _status, page = self.request("login form", "/login")
        form = read_form(page, "csrf_token") or {}
        self.request("login", "/login", {**form, "username": username, "password": password}, expect=(302,))

    def edit_customer(self, customer_id, attempts=4):
        """Open a customer's edit form, change the notes and save; reload and retry on a version conflict."""
        path = f"/admin/customer/edit/?id={customer_id}&url=/admin/customer/"
        for _attempt in range(attempts):
            status, page = self.request("edit form", path)
            form = read_form(page, "row_version") if status == 200 else None
            if form is None:
                return
            form["notes"] = f"负载测试备注 {self.rng.randrange(10**6)}"
            form.pop("_add_another", None)
            form.pop("_continue_editing", None)
            status, page = self.request("edit save", path, form, expect=(302, 200))
            if status == 302:
                return
            if "row_version" not in page:
                self.log.append(("edit save", 0.0, False))  # neither saved nor a form to retry
                return
            self.log.append(("edit:conflict", 0.0, True))
        self.log.append(("edit gave up", 0.0, False))
