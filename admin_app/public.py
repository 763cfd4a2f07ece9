"""The public survey page /s/<token>: no login, one answer per token, rate-limited per address."""
from flask import Blueprint, current_app, render_template, request

from admin_app.ratelimit import client_address, limiter
from admin_app.services.surveys.survey import AlreadyAnswered, invitation_state, record_response
from admin_app.survey_forms import answer_form_class, answers_from, localized
from models import Invitation, SurveyBatch

bp = Blueprint("public", __name__)


def _survey_limit():
    return f"{current_app.config.get('SURVEY_RATE_LIMIT', 30)} per minute"


def _rate_limited(_limit):
    return current_app.make_response(_page("rate_limited", 429))


# per client address (the real one behind TRUSTED_PROXIES), counted by every worker in one shared store
limiter.limit(_survey_limit, key_func=client_address, on_breach=_rate_limited)(bp)


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
