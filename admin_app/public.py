"""The public survey page /s/<token>: no login, one answer per token, rate-limited per address."""
import threading
import time
from collections import defaultdict, deque

from flask import Blueprint, current_app, render_template, request

from admin_app.services.surveys.survey import AlreadyAnswered, invitation_state, record_response
from admin_app.survey_forms import answer_form_class, answers_from, localized
from models import Invitation, SurveyBatch

bp = Blueprint("public", __name__)


class RateLimiter:
    """A sliding one-minute window of requests per key, kept in this process."""

    def __init__(self, window=60.0):
        self.window = window
        self.hits = defaultdict(deque)
        self.lock = threading.Lock()

    def allow(self, key, limit, at=None):
        """Count a request for `key`; tell whether it stays within `limit` per window."""
        at = time.monotonic() if at is None else at
        with self.lock:
            if len(self.hits) > 10000:  # forget idle addresses so the table stays small
                for idle in [k for k, q in self.hits.items() if not q or q[-1] <= at - self.window]:
                    del self.hits[idle]
            queue = self.hits[key]
            while queue and queue[0] <= at - self.window:
                queue.popleft()
            if len(queue) >= limit:
                return False
            queue.append(at)
            return True


@bp.before_request
def _limit():
    limiter = current_app.extensions.setdefault("survey_limiter", RateLimiter())
    if not limiter.allow(request.remote_addr or "?", current_app.config.get("SURVEY_RATE_LIMIT", 30)):
        return _page("rate_limited", 429)
    return None


def _page(reason, status, **context):
    return render_template("survey/message.html", reason=reason, **context), status


def _find(token):
    if not token or len(token) > 64:
        return None
    query = Invitation.select(Invitation, SurveyBatch).join(SurveyBatch).where(Invitation.token == token)
    return query.first()


@bp.route("/s/<token>", methods=["GET", "POST"])
def survey(token):
    """Show the questionnaire of an invitation and take one answer."""
    invitation = _find(token)
    if invitation is None:
        return _page("unknown", 404)
    state = invitation_state(invitation)
    if state == "expired":
        return _page("expired", 410, expires_on=invitation.batch.expires_on)
    if state == "used":
        return _page("used", 409 if request.method == "POST" else 200)
    questionnaire = invitation.batch.questionnaire
    items = questionnaire.ordered_items()
    form = answer_form_class(items)()
    if form.validate_on_submit():
        try:
            record_response(questionnaire, invitation.customer_id, form.overall.data, answers_from(form, items),
                            comment=form.comment.data, invitation=invitation)
        except AlreadyAnswered:
            return _page("used", 409)
        return _page("thanks", 200)
    status = 422 if request.method == "POST" else 200
    return render_template("survey/form.html", form=form, items=items, questionnaire=questionnaire,
                           localized=localized, token=token), status


def init_app(app):
    """Register the public survey page."""
    app.register_blueprint(bp)
