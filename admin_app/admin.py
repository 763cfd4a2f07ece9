"""Build the Flask-Admin panel and its views for one app."""
from pathlib import Path

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from admin_app.security import csp_nonce
from models import AccessLog, ArchiveRecord, ChangeLog, Complaint, Customer, Feedback, Repair, ReturnExchange, User
from views import role_cache
from views.customer import CustomerView
from views.home import HomeView
from views.log_formatters import actor_name
from views.records import ArchiveRecordView, ComplaintView, FeedbackView, RepairView, ReturnExchangeView
from views.survey import add_survey_views
from views.system import AccessLogView, ChangeLogView, UserView


def init_app(app):
    """Create the admin panel with every view; called once per app."""
    from admin_app.services.fields.schema import reset_models

    reset_models()  # views are built from the built-in fields; custom ones are added on the first request
    admin = Admin(
        app,
        name=_l("Customer Service Back Office"),
        index_view=HomeView(name=_l("Home"), url="/admin", template="admin/home.html"),
        theme=Bootstrap4Theme(base_template="admin/app_base.html", fluid=True),
        csp_nonce_generator=csp_nonce,
        # Flask-Admin's own Chinese catalog, compiled from its up-to-date .po (its shipped .mo lags behind)
        translations_path=str(Path(__file__).parent / "translations"),
    )
    records = _l("Records")
    system = _l("System")
    admin.add_view(CustomerView(Customer, name=_l("Customers"), endpoint="customer"))
    admin.add_view(ArchiveRecordView(ArchiveRecord, name=_l("Archive records"), category=records,
                                     endpoint="archiverecord"))
    admin.add_view(FeedbackView(Feedback, name=_l("Feedback"), category=records, endpoint="feedback"))
    admin.add_view(ComplaintView(Complaint, name=_l("Complaints"), category=records, endpoint="complaint"))
    admin.add_view(RepairView(Repair, name=_l("Repairs"), category=records, endpoint="repair"))
    admin.add_view(ReturnExchangeView(ReturnExchange, name=_l("Returns / exchanges"), category=records,
                                      endpoint="returnexchange"))
    admin.add_view(UserView(User, name=_l("Users"), category=system, endpoint="user"))
    admin.add_view(ChangeLogView(ChangeLog, name=_l("Change history"), category=system, endpoint="changelog"))
    admin.add_view(AccessLogView(AccessLog, name=_l("Access log"), category=system, endpoint="accesslog"))
    _add_security_views(admin, system)
    _add_account_views(admin, system)
    _add_workflow_views(admin, records, system)
    add_survey_views(admin)
    _add_grading_views(admin)
    _add_exchange_views(admin)
    _add_settings_views(admin, system)
    _add_archive_check_views(admin, records)
    _add_forms_views(admin, records)
    _add_job_views(admin)
    _add_custom_field_views(admin, system)
    role_cache.init_app(app)
    app.add_template_global(actor_name, "actor_name")  # rule settings and grade history name "System" alike
    return admin


def _add_archive_check_views(admin, records):
    """Add the six-monthly archive check: dossiers due and the checks (档案资料检查表, issue 14)."""
    from models import ArchiveCheck
    from views.archive_check import ArchiveCheckDueView, ArchiveCheckView

    admin.add_view(ArchiveCheckDueView(Customer, name=_l("Archive checks due"), category=records,
                                       endpoint="archivecheckdue"))
    admin.add_view(ArchiveCheckView(ArchiveCheck, name=_l("Archive checks"), category=records,
                                    endpoint="archivecheck"))


def _add_custom_field_views(admin, system):
    """Add the custom-field editor and keep every record view in step with the custom fields (issue 12)."""
    from models import CustomField
    from views import custom_fields
    from views.choice_lists import ChoiceListsView
    from views.custom_field_admin import CustomFieldView

    admin.add_view(CustomFieldView(CustomField, name=_l("Custom fields"), category=system, endpoint="customfield"))
    admin.add_view(ChoiceListsView(name=_l("Choice lists"), category=system, endpoint="choicelists",
                                   url="/admin/choice-lists"))
    custom_fields.init_app(admin.app, admin)


def _add_workflow_views(admin, records, system):
    """Add my work, the exchange ledger and the working-day settings."""
    from models import CoreArea, Holiday
    from views.workflow import MyWorkView
    from views.workflow_admin import CoreAreaView, ExchangeLedgerView, HolidayView

    admin.add_view(MyWorkView(name=_l("My work"), endpoint="mywork"))
    admin.add_view(ExchangeLedgerView(ReturnExchange, name=_l("Exchange ledger"), category=records,
                                      endpoint="exchangeledger"))
    admin.add_view(HolidayView(Holiday, name=_l("Holiday calendar"), category=system, endpoint="holiday"))
    admin.add_view(CoreAreaView(CoreArea, name=_l("Core areas"), category=system, endpoint="corearea"))


def _add_security_views(admin, system):
    """Add the administrator's trust tools: permissions, deleted records, retention."""
    from models import RolePermission
    from views.permissions import RolePermissionView
    from views.retention import RetentionView
    from views.trash import TrashView

    admin.add_view(RolePermissionView(RolePermission, name=_l("Role permissions"), category=system,
                                      endpoint="rolepermission"))
    admin.add_view(TrashView(name=_l("Deleted records"), category=system, endpoint="trash"))
    admin.add_view(RetentionView(name=_l("Retention"), category=system, endpoint="retention"))


def _add_account_views(admin, system):
    """Add the user's own account page (sessions, password, second factor) and the second-factor policy."""
    from views.account import AccountView, TwoFactorPolicyView

    admin.add_view(AccountView(name=_l("My account"), endpoint="account", url="/admin/account"))
    admin.add_view(TwoFactorPolicyView(name=_l("Second factor"), category=system, endpoint="twofactorpolicy",
                                       url="/admin/two-factor-policy"))


def _add_grading_views(admin):
    """Add the credit-grading lists and the thresholds page (issue 3)."""
    from models import GradeHistory, UrgentEvent
    from views.grading_lists import GradeHistoryView, ReportsDueView, UrgentEventView

    grading = _l("Credit grading")
    admin.add_view(ReportsDueView(Customer, name=_l("Reports due"), category=grading, endpoint="reportsdue"))
    admin.add_view(UrgentEventView(UrgentEvent, name=_l("Urgent events"), category=grading, endpoint="urgentevent"))
    admin.add_view(GradeHistoryView(GradeHistory, name=_l("Grade history"), category=grading,
                                    endpoint="gradehistory"))


def _add_settings_views(admin, system):
    """Add the rule settings page (issue 12.6) and the missing-holiday-calendar banner (issue 14.1)."""
    from views.rule_settings import RuleSettingsView, calendar_banner

    admin.add_view(RuleSettingsView(name=_l("Rule settings"), category=system, endpoint="rulesettings"))
    admin.app.context_processor(calendar_banner)


def _add_exchange_views(admin):
    """Add the spreadsheet import pages (export lives on every list)."""
    from views.importing import IMPORT_NAME, ImportView
    from views.reports_xlsx import XlsxReportsView

    admin.add_view(ImportView(name=IMPORT_NAME, endpoint="import", url="/admin/import"))
    admin.add_view(XlsxReportsView(name=_l("Report workbooks"), endpoint="xlsxreports", url="/admin/xlsx-reports"))


def _add_forms_views(admin, records):
    """Add the print-ready forms (reached from record pages) and the follow-up register (issue 14)."""
    from views.followups import FollowUpRegisterView
    from views.print_forms import init_print

    init_print(admin)
    admin.add_view(FollowUpRegisterView(name=_l("Follow-up register"), category=records, endpoint="followups",
                                        url="/admin/followups"))
def _add_job_views(admin):
    """Add each user's jobs and notifications pages (issue 15); register the background work."""
    from views import background  # noqa: F401 - registers the export, import, regrade and dispatch jobs
    from views.jobs import add_views

    add_views(admin)
