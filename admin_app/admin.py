"""Build the Flask-Admin panel and its views for one app."""
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from models import AccessLog, ArchiveRecord, ChangeLog, Complaint, Customer, Feedback, Repair, ReturnExchange, User
from views.customer import CustomerView
from views.home import HomeView
from views.records import ArchiveRecordView, ComplaintView, FeedbackView, RepairView, ReturnExchangeView
from views.system import AccessLogView, ChangeLogView, UserView


def init_app(app):
    """Create the admin panel with every view; called once per app."""
    admin = Admin(
        app,
        name=_l("Customer Service Back Office"),
        index_view=HomeView(name=_l("Home"), url="/admin", template="admin/home.html"),
        theme=Bootstrap4Theme(base_template="admin/app_base.html", fluid=True),
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
    return admin
