"""All tables of the application, in creation order."""
from models.audit import AccessLog, ChangeLog
from models.base import BaseModel, db, now
from models.customer import Customer
from models.records import ArchiveRecord, CaseModel, Complaint, Feedback, Repair, ReturnExchange
from models.user import User

RECORD_MODELS = [ArchiveRecord, Feedback, Complaint, Repair, ReturnExchange]
ALL_MODELS = [User, Customer, *RECORD_MODELS, ChangeLog, AccessLog]

__all__ = [
    "ALL_MODELS", "RECORD_MODELS", "AccessLog", "ArchiveRecord", "BaseModel", "CaseModel",
    "ChangeLog", "Complaint", "Customer", "Feedback", "Repair", "ReturnExchange", "User", "db", "now",
]
