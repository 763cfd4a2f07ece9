"""All tables of the application, in creation order."""
from models.archive import ArchiveCheck, DestructionItem, DestructionList
from models.audit import AccessLog, ChangeLog
from models.base import BaseModel, db, now
from models.custom_fields import ChoiceLabel, CustomField, FieldSchemaVersion
from models.customer import Customer
from models.exchange import ExportLog, ImportBatch, ListColumns, SavedView
from models.form_defaults import FormDefaults
from models.grading import GradeHistory, UrgentEvent
from models.jobs import Job, Notification, NotifySettings, PeriodicClaim
from models.records import ArchiveRecord, CaseModel, Complaint, Feedback, Repair, ReturnExchange
from models.security import RolePermission, SubmitToken
from models.sessions import RateLimitCounter, TwoFactorPolicy, UserSession
from models.settings import HolidayYear, RecomputeLog, RuleSetting, RuleSettingChange
from models.summary import DashboardSnapshot
from models.survey import (
    SURVEY_MODELS,
    Answer,
    Invitation,
    OutboxMessage,
    QuestionItem,
    Questionnaire,
    Response,
    SurveyBatch,
)
from models.user import User
from models.workflow import AssignmentLog, CoreArea, Holiday, TransitionLog

RECORD_MODELS = [ArchiveRecord, Feedback, Complaint, Repair, ReturnExchange]
ALL_MODELS = [User, Customer, *RECORD_MODELS, ChangeLog, AccessLog]
ALL_MODELS += [ExportLog, ImportBatch, SavedView]
ALL_MODELS += [TransitionLog, AssignmentLog, Holiday, CoreArea]
ALL_MODELS += SURVEY_MODELS
ALL_MODELS += [RolePermission, SubmitToken]
ALL_MODELS += [GradeHistory, UrgentEvent]
ALL_MODELS += [UserSession, RateLimitCounter, TwoFactorPolicy]
ALL_MODELS += [RuleSetting, RuleSettingChange, HolidayYear, RecomputeLog]
ALL_MODELS += [ArchiveCheck, DestructionList, DestructionItem]
ALL_MODELS += [Job, Notification, NotifySettings]
ALL_MODELS += [CustomField, FieldSchemaVersion, ChoiceLabel]
ALL_MODELS += [PeriodicClaim]
ALL_MODELS += [DashboardSnapshot]
ALL_MODELS += [FormDefaults]
ALL_MODELS += [ListColumns]

__all__ = [
    "ALL_MODELS", "RECORD_MODELS", "AccessLog", "ArchiveRecord", "BaseModel", "CaseModel",
    "AssignmentLog", "CoreArea", "Holiday", "TransitionLog",
    "ChangeLog", "Complaint", "Customer", "ExportLog", "ImportBatch", "SavedView", "ListColumns",
    "Feedback", "Repair", "ReturnExchange", "User", "db", "now", "RolePermission", "SubmitToken",
    "GradeHistory", "UrgentEvent", "HolidayYear", "RecomputeLog", "RuleSetting", "RuleSettingChange",
    "UserSession", "RateLimitCounter", "TwoFactorPolicy",
    "ArchiveCheck", "DestructionItem", "DestructionList",
    "Job", "Notification", "NotifySettings", "PeriodicClaim",
    "ChoiceLabel", "CustomField", "FieldSchemaVersion", "DashboardSnapshot",
    "FormDefaults",
    "Answer", "Invitation", "OutboxMessage", "QuestionItem", "Questionnaire", "Response", "SurveyBatch",
]
