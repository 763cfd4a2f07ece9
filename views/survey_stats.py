"""Survey statistics: per month, per questionnaire, per batch, with the seed targets and the .xlsx table."""
import io

from flask import abort, request, send_file
from flask_admin import expose
from flask_babel import gettext as _

from admin_app.permissions import allowed
from admin_app.services.settings import kpi, registry
from admin_app.services.settings import store as settings_store
from admin_app.services.surveys import survey_stats as st
from models import Invitation, Questionnaire, Response, SurveyBatch
from views.access import RoleCheckedView


def target(key):
    """Return a target percentage in force (a rule setting)."""
    return settings_store.get(key)


def shown_target(key):
    """Return a target percentage as text, e.g. '80' or '92.5'."""
    return settings_store.fmt(settings_store.get(key))

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SurveyStatsView(RoleCheckedView):
    """Sent, answered, response and satisfaction rates with charts; export as the 满意率统计表."""


    def _scope(self):
        """Return (title, figures, item filter) for ?batch= or ?questionnaire=, else None."""
        batch_id = request.args.get("batch", type=int)
        questionnaire_id = request.args.get("questionnaire", type=int)
        if batch_id:
            batch = SurveyBatch.get_or_none(SurveyBatch.id == batch_id) or abort(404)
            invited = Invitation.select(Invitation.id).where(Invitation.batch == batch.id)
            return (_("Batch %(batch)s — %(q)s", batch=batch, q=batch.questionnaire), st.batch_summary(batch),
                    Response.invitation.in_(invited))
        if questionnaire_id:
            questionnaire = Questionnaire.get_or_none(Questionnaire.id == questionnaire_id) or abort(404)
            return (str(questionnaire), st.questionnaire_summary(questionnaire),
                    Response.questionnaire == questionnaire.id)
        return None

    @expose("/")
    def index(self):
        scope = self._scope()
        months = st.monthly()
        questionnaires = [(q, st.questionnaire_summary(q)) for q in Questionnaire.select().order_by(Questionnaire.id)]
        batches = [(b, st.batch_summary(b)) for b in SurveyBatch.select().order_by(SurveyBatch.id.desc()).limit(20)]
        items = st.item_distribution(scope[2]) if scope else []
        chart = {
            "levels": st.level_labels(),
            "targets": {"satisfaction": float(target("target_satisfaction")),
                        "response": [float(target("target_response_q4")), float(target("target_response_survey"))]},
            "labels": {"satisfaction": _("Satisfaction rate (%)"), "response": _("Response rate (%)"),
                       "target_satisfaction": _("Target satisfaction %(n)s%%", n=shown_target("target_satisfaction")),
                       "target_response_low": _("Target response %(n)s%%", n=shown_target("target_response_q4")),
                       "target_response_high": _("Target response %(n)s%%",
                                                 n=shown_target("target_response_survey"))},
            "months": [m for m, _f in months],
            "satisfaction": [f["satisfaction_rate"] for _m, f in months],
            "response": [f["response_rate"] for _m, f in months],
            "items": [{"text": text, "counts": list(counts.values())} for text, counts, _r in items],
            "overall": list(scope[1]["levels"].values()) if scope else [],
            "rates": self._rates(scope, items),
        }
        return self.render("admin/survey/stats.html", scope=scope, months=months, questionnaires=questionnaires,
                           batches=batches, items=items, chart=chart, shown=st.shown, levels=st.level_labels(),
                           target=target("target_satisfaction"), meets=kpi.meets,
                           seed_targets=[registry.BY_KEY[k] for k in ("target_satisfaction", *kpi.RESPONSE_TARGETS)],
                           target_of=shown_target)

    @staticmethod
    def _rates(scope, items):
        """Return the bars of the rates chart: response, overall satisfaction, then each item's satisfaction."""
        if not scope:
            return {"labels": [], "values": [], "colours": []}
        figures = scope[1]
        labels = [_("Response rate"), _("Satisfaction rate")] + [text for text, _c, _r in items]
        values = [figures["response_rate"], figures["satisfaction_rate"]] + [r for _t, _c, r in items]
        return {"labels": labels, "values": values, "colours": ["#abd9e9"] + ["#4575b4"] * (len(values) - 1)}

    @expose("/export")
    def export(self):
        """Download the 满意率统计表 for the chosen scope (or per month)."""
        if not allowed(self.endpoint, "export"):
            abort(403)
        scope = self._scope()
        if scope:
            title, figures, where = scope
            data = st.workbook(title, [(title, figures)], st.item_distribution(where))
        else:
            data = st.workbook(_("Per month"), st.monthly(limit=120), st.item_distribution(Response.id.is_null(False)))
        return send_file(io.BytesIO(data), as_attachment=True, download_name="satisfaction_statistics.xlsx",
                         mimetype=XLSX)
