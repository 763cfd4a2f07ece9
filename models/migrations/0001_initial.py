# ruff: noqa: F403, F405, E501, I001
"""Initial schema: a frozen copy of the models, regenerated with `flask db-initial --force`."""
# Generated from a schema diff on 2026-11-23 07:56.
from peewee import *
from models.base import RecordIdField
import datetime


def up(migrator, db):
    class User(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        username = CharField(unique=True, max_length=64)
        display_name = CharField(max_length=64, default='')
        password_hash = CharField(max_length=256)
        role = CharField(index=True, max_length=16, default='clerk')
        language = CharField(max_length=16, default='zh_Hans_CN')
        active = BooleanField(default=True)
        failed_logins = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        last_login = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'users'
    db.create_tables([User])

    class AccessLog(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        username = CharField(max_length=64, default='')
        at = DateTimeField(index=True)
        action = CharField(index=True, max_length=24)
        table = CharField(max_length=64, default='')
        record_id = IntegerField(null=True)
        customer_id = IntegerField(index=True, null=True)
        detail = CharField(default='')
        class Meta:
            database = db
            table_name = 'access_log'
    db.create_tables([AccessLog])

    class Questionnaire(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        code = CharField(index=True, max_length=32)
        revision = IntegerField(default=1)
        title = CharField(max_length=200)
        title_en = CharField(null=True, max_length=200)
        intro = TextField(null=True)
        intro_en = TextField(null=True)
        active = BooleanField(index=True, default=True)
        class Meta:
            database = db
            table_name = 'questionnaire'
            indexes = ((('code', 'revision'), True),)
    db.create_tables([Questionnaire])

    class Customer(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        name = CharField(index=True, max_length=100)
        customer_type = CharField(index=True, max_length=16, default='individual')
        gender = CharField(null=True, max_length=8)
        birth_date = DateField(index=True, null=True)
        age = IntegerField(null=True)
        occupation = CharField(null=True, max_length=64)
        contact_person = CharField(null=True, max_length=64)
        phone = CharField(index=True, null=True, max_length=32)
        email = CharField(null=True, max_length=128)
        address = CharField(null=True)
        region = CharField(index=True, null=True, max_length=64)
        id_card = CharField(null=True, max_length=18)
        staff_count = IntegerField(null=True)
        is_wholesaler = BooleanField(index=True, default=False)
        receivable = DecimalField(index=True, max_digits=14, decimal_places=2, default=0)
        trade_volume_12m = DecimalField(index=True, max_digits=14, decimal_places=2, default=0)
        first_trade_date = DateField(index=True, null=True)
        prior_incident = BooleanField(default=False)
        bad_reputation = BooleanField(default=False)
        designation = CharField(null=True, max_length=1)
        grade = CharField(index=True, max_length=1, default='C')
        grade_reasons = CharField(default='not_designated')
        graded_at = DateTimeField(null=True)
        next_report_due = DateField(index=True, null=True)
        urgent = BooleanField(index=True, default=False)
        special_needs = TextField(null=True)
        consent_date = DateField(index=True, null=True)
        consent_channel = CharField(null=True, max_length=16)
        owner = ForeignKeyField(User, null=True, on_delete='SET NULL')
        notes = TextField(null=True)
        class Meta:
            database = db
            table_name = 'customer'
            indexes = ((('grade', 'name'), False), (('updated_at',), False), (('customer_type', 'urgent'), False), (('grade', 'urgent'), False), (('designation', 'urgent'), False), (('gender', 'urgent'), False), (('region', 'urgent'), False), (('is_wholesaler', 'urgent'), False), (('prior_incident', 'urgent'), False), (('bad_reputation', 'urgent'), False), (('staff_count', 'urgent'), False), (('consent_channel', 'urgent'), False))
    db.create_tables([Customer])

    class SurveyBatch(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        questionnaire = ForeignKeyField(Questionnaire, on_delete='RESTRICT')
        channel = CharField(index=True, max_length=16)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        expires_on = DateField()
        sample_percent = IntegerField(default=100)
        exclude_days = IntegerField(default=0)
        selection = TextField(null=True)
        matched_count = IntegerField(default=0)
        excluded_count = IntegerField(default=0)
        sent_count = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'survey_batch'
    db.create_tables([SurveyBatch])

    class Invitation(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        batch = ForeignKeyField(SurveyBatch, on_delete='CASCADE')
        customer = ForeignKeyField(Customer, on_delete='CASCADE')
        token = CharField(unique=True, max_length=64)
        answered_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'invitation'
            indexes = ((('batch', 'customer'), True),)
    db.create_tables([Invitation])

    class Feedback(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        customer = ForeignKeyField(Customer, field=Customer.id, on_delete='RESTRICT')
        owner = ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')
        closed_at = DateTimeField(null=True)
        product_name = CharField(null=True, max_length=100)
        specification = CharField(null=True, max_length=100)
        model_no = CharField(null=True, max_length=64)
        manufacture_date = DateField(null=True)
        serial_no = CharField(null=True, max_length=64)
        feedback_date = DateField(index=True, default=datetime.date.today)
        reporter = CharField(max_length=64)
        reporter_org = CharField(null=True, max_length=100)
        reporter_phone = CharField(null=True, max_length=32)
        channel = CharField(index=True, max_length=16)
        category = CharField(index=True, max_length=20)
        content = TextField()
        nature = CharField(index=True, null=True, max_length=16)
        responsibility = CharField(index=True, null=True, max_length=16)
        corrective_action = BooleanField(null=True)
        action_plan = TextField(null=True)
        no_action_reason = CharField(null=True, max_length=24)
        reply = TextField(null=True)
        replied_at = DateTimeField(null=True)
        result_tracking = TextField(null=True)
        completed_at = DateTimeField(null=True)
        recorder = CharField(null=True, max_length=64)
        status = CharField(index=True, max_length=16, default='new')
        class Meta:
            database = db
            table_name = 'feedback'
    db.create_tables([Feedback])

    class Complaint(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        customer = ForeignKeyField(Customer, field=Customer.id, on_delete='RESTRICT')
        owner = ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')
        closed_at = DateTimeField(null=True)
        feedback = ForeignKeyField(Feedback, null=True, on_delete='SET NULL')
        complainant = CharField(max_length=64)
        contact_phone = CharField(null=True, max_length=32)
        received_at = DateTimeField(index=True)
        channel = CharField(index=True, max_length=16)
        complaint_type = CharField(index=True, max_length=20)
        nature = CharField(index=True, max_length=16, default='valid')
        severity = CharField(index=True, max_length=10, default='medium')
        product_name = CharField(null=True, max_length=100)
        batch_no = CharField(null=True, max_length=64)
        purchase_date = DateField(null=True)
        purchase_place = CharField(null=True, max_length=100)
        content = TextField()
        customer_request = TextField(null=True)
        investigation_due = DateField(index=True, null=True)
        findings = TextField(null=True)
        root_cause = TextField(null=True)
        responsible_dept = CharField(index=True, null=True, max_length=64)
        resolution = TextField(null=True)
        corrective_action = BooleanField(null=True)
        corrective_preventive = TextField(null=True)
        no_action_reason = CharField(null=True, max_length=24)
        mgmt_rep_approved = BooleanField(default=False)
        involves_return = BooleanField(default=False)
        involves_compensation = BooleanField(default=False)
        involves_legal = BooleanField(default=False)
        followup_method = CharField(null=True, max_length=10)
        followup_date = DateField(null=True)
        followup_satisfaction = CharField(null=True, max_length=20)
        status = CharField(index=True, max_length=24, default='received')
        class Meta:
            database = db
            table_name = 'complaint'
            indexes = ((('status', 'investigation_due'), False),)
    db.create_tables([Complaint])

    class Response(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        questionnaire = ForeignKeyField(Questionnaire, on_delete='RESTRICT')
        customer = ForeignKeyField(Customer, on_delete='RESTRICT')
        invitation = ForeignKeyField(Invitation, unique=True, null=True, on_delete='SET NULL')
        overall = CharField(index=True, max_length=20)
        comment = TextField(null=True)
        source = CharField(index=True, max_length=16, default='online')
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        reference = CharField(null=True, max_length=64)
        submitted_at = DateTimeField(index=True)
        complaint = ForeignKeyField(Complaint, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'survey_response'
    db.create_tables([Response])

    class QuestionItem(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        questionnaire = ForeignKeyField(Questionnaire, on_delete='CASCADE')
        position = IntegerField(default=0)
        code = CharField(max_length=32)
        text = CharField()
        text_en = CharField(null=True)
        hint = TextField(null=True)
        hint_en = TextField(null=True)
        class Meta:
            database = db
            table_name = 'question_item'
            indexes = ((('questionnaire', 'code'), True),)
    db.create_tables([QuestionItem])

    class Answer(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        response = ForeignKeyField(Response, on_delete='CASCADE')
        item = ForeignKeyField(QuestionItem, on_delete='RESTRICT')
        level = CharField(max_length=20)
        remark = TextField(null=True)
        class Meta:
            database = db
            table_name = 'survey_answer'
            indexes = ((('response', 'item'), True),)
    db.create_tables([Answer])

    class ArchiveRecord(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        customer = ForeignKeyField(Customer, field=Customer.id, on_delete='RESTRICT')
        owner = ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')
        closed_at = DateTimeField(null=True)
        kind = CharField(index=True, max_length=20)
        entry_date = DateField(index=True, default=datetime.date.today)
        amount = DecimalField(null=True, max_digits=14, decimal_places=2)
        items = CharField(null=True)
        satisfaction = CharField(null=True, max_length=20)
        staff = CharField(null=True, max_length=64)
        content = TextField()
        document_no = CharField(null=True, max_length=64)
        last_checked = DateField(null=True)
        retention_until = DateField(index=True, null=True)
        class Meta:
            database = db
            table_name = 'archive_record'
    db.create_tables([ArchiveRecord])

    class AssignmentLog(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        table = CharField(index=True, max_length=64)
        record_id = IntegerField(index=True)
        field = CharField(max_length=16, default='owner')
        from_user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        to_user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        by_user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        username = CharField(max_length=64, default='')
        at = DateTimeField(index=True)
        note = TextField(null=True)
        class Meta:
            database = db
            table_name = 'assignment_log'
            indexes = ((('table', 'record_id'), False),)
    db.create_tables([AssignmentLog])

    class ChangeLog(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        table = CharField(index=True, max_length=64)
        record_id = IntegerField(index=True)
        action = CharField(index=True, max_length=16)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        username = CharField(max_length=64, default='')
        at = DateTimeField(index=True)
        changes = TextField(default='{}')
        snapshot = TextField(null=True)
        class Meta:
            database = db
            table_name = 'change_log'
            indexes = ((('table', 'record_id'), False),)
    db.create_tables([ChangeLog])

    class CoreArea(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        region = CharField(unique=True, max_length=64)
        note = CharField(default='')
        class Meta:
            database = db
            table_name = 'core_area'
    db.create_tables([CoreArea])

    class ExportLog(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        username = CharField(max_length=64, default='')
        at = DateTimeField(index=True)
        endpoint = CharField(index=True, max_length=64)
        kind = CharField(max_length=16, default='list')
        filters = TextField(default='')
        columns = TextField(default='')
        row_count = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'export_log'
    db.create_tables([ExportLog])

    class GradeHistory(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        customer = ForeignKeyField(Customer, on_delete='CASCADE')
        old_grade = CharField(index=True, null=True, max_length=1)
        new_grade = CharField(index=True, max_length=1)
        reasons = CharField(default='')
        source = CharField(index=True, max_length=16, default='recompute')
        designation = CharField(null=True, max_length=1)
        remark = TextField(null=True)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        username = CharField(max_length=64, default='')
        at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'grade_history'
    db.create_tables([GradeHistory])

    class GradingSettings(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        receivable_high = DecimalField(max_digits=14, decimal_places=2, default=500000)
        receivable_low = DecimalField(max_digits=14, decimal_places=2, default=200000)
        receivable_ratio = DecimalField(max_digits=8, decimal_places=4, default=0.5)
        min_staff = IntegerField(default=20)
        new_customer_months = IntegerField(default=12)
        class Meta:
            database = db
            table_name = 'grading_settings'
    db.create_tables([GradingSettings])

    class GradingSettingsChange(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        setting = CharField(index=True, max_length=32)
        old_value = CharField(max_length=32)
        new_value = CharField(max_length=32)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        username = CharField(max_length=64, default='')
        at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'grading_settings_change'
    db.create_tables([GradingSettingsChange])

    class Holiday(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        day = DateField(unique=True)
        kind = CharField(index=True, max_length=10, default='holiday')
        name = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'holiday'
    db.create_tables([Holiday])

    class ImportBatch(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        username = CharField(max_length=64, default='')
        endpoint = CharField(index=True, max_length=64)
        filename = CharField(default='')
        stored_as = CharField(default='')
        status = CharField(index=True, max_length=16, default='preview')
        total_rows = IntegerField(default=0)
        new_rows = IntegerField(default=0)
        updated_rows = IntegerField(default=0)
        unchanged_rows = IntegerField(default=0)
        error_rows = IntegerField(default=0)
        conflict_rows = IntegerField(default=0)
        committed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'import_batch'
    db.create_tables([ImportBatch])

    class OutboxMessage(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        recipient = CharField(max_length=128)
        subject = CharField()
        body = TextField()
        invitation = ForeignKeyField(Invitation, null=True, on_delete='SET NULL')
        status = CharField(index=True, max_length=10, default='pending')
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField(index=True)
        last_error = TextField(null=True)
        errors = TextField(null=True)
        sent_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'outbox_message'
    db.create_tables([OutboxMessage])

    class Repair(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        customer = ForeignKeyField(Customer, field=Customer.id, on_delete='RESTRICT')
        owner = ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')
        closed_at = DateTimeField(null=True)
        feedback = ForeignKeyField(Feedback, null=True, on_delete='SET NULL')
        reporter = CharField(max_length=64)
        contact_phone = CharField(null=True, max_length=32)
        product_name = CharField(max_length=100)
        model_no = CharField(null=True, max_length=64)
        serial_no = CharField(null=True, max_length=64)
        fault_reported = TextField()
        received_at = DateTimeField(index=True)
        response_due = DateTimeField(index=True, null=True)
        technician = ForeignKeyField(User, null=True, on_delete='SET NULL')
        arrived_at = DateTimeField(null=True)
        fault_found = TextField(null=True)
        handling_method = TextField(null=True)
        warranty_status = CharField(index=True, max_length=16, default='in_warranty')
        main_component = BooleanField(default=False)
        quote_amount = DecimalField(null=True, max_digits=14, decimal_places=2)
        customer_consent_at = DateTimeField(null=True)
        parts_cost = DecimalField(max_digits=14, decimal_places=2, default=0)
        labour_cost = DecimalField(max_digits=14, decimal_places=2, default=0)
        returned_to_factory = BooleanField(default=False)
        inspection_passed = BooleanField(default=False)
        inspected_at = DateTimeField(null=True)
        shipped_at = DateField(null=True)
        ship_quantity = IntegerField(null=True)
        ship_method = CharField(null=True, max_length=16)
        customer_confirmed_at = DateTimeField(null=True)
        followup_date = DateField(null=True)
        followup_evaluation = CharField(null=True, max_length=20)
        status = CharField(index=True, max_length=24, default='received')
        class Meta:
            database = db
            table_name = 'repair'
    db.create_tables([Repair])

    class ReturnExchange(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        customer = ForeignKeyField(Customer, field=Customer.id, on_delete='RESTRICT')
        owner = ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')
        closed_at = DateTimeField(null=True)
        product_name = CharField(max_length=100)
        model_no = CharField(null=True, max_length=64)
        purchase_date = DateField(index=True)
        quantity = IntegerField(default=1)
        amount = DecimalField(null=True, max_digits=14, decimal_places=2)
        reason = TextField()
        proof_checked = BooleanField(default=False)
        quality_problem = BooleanField(index=True, default=False)
        inspection_report = TextField(null=True)
        responsibility = CharField(null=True, max_length=16)
        non_returnable = BooleanField(default=False)
        decision = CharField(index=True, null=True, max_length=10)
        exception_reason = TextField(null=True)
        approver = ForeignKeyField(User, null=True, on_delete='SET NULL')
        finance_handled = BooleanField(default=False)
        goods_received_at = DateField(null=True)
        shipped_at = DateField(null=True)
        status = CharField(index=True, max_length=16, default='requested')
        class Meta:
            database = db
            table_name = 'return_exchange'
    db.create_tables([ReturnExchange])

    class RolePermission(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        role = CharField(index=True, max_length=16)
        endpoint = CharField(max_length=64)
        operation = CharField(max_length=16)
        field = CharField(max_length=64, default='')
        access = CharField(max_length=8)
        class Meta:
            database = db
            table_name = 'role_permission'
            indexes = ((('role', 'endpoint', 'operation', 'field'), True),)
    db.create_tables([RolePermission])

    class SavedView(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        user = ForeignKeyField(User, on_delete='CASCADE')
        endpoint = CharField(index=True, max_length=64)
        name = CharField(max_length=100)
        query = TextField(default='')
        columns = TextField(default='[]')
        shared_role = CharField(null=True, max_length=16)
        is_default = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'saved_view'
    db.create_tables([SavedView])

    class SubmitToken(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        token = CharField(unique=True, max_length=64)
        table = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'submit_token'
    db.create_tables([SubmitToken])

    class TransitionLog(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        table = CharField(index=True, max_length=64)
        record_id = IntegerField(index=True)
        transition = CharField(max_length=32)
        from_status = CharField(max_length=24)
        to_status = CharField(max_length=24)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        username = CharField(max_length=64, default='')
        at = DateTimeField(index=True)
        note = TextField(null=True)
        class Meta:
            database = db
            table_name = 'transition_log'
            indexes = ((('table', 'record_id'), False),)
    db.create_tables([TransitionLog])

    class UrgentEvent(Model):
        id = RecordIdField()
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        customer = ForeignKeyField(Customer, on_delete='CASCADE')
        kind = CharField(index=True, max_length=16, default='bounced_cheque')
        occurred_on = DateField(index=True)
        amount = DecimalField(null=True, max_digits=14, decimal_places=2)
        description = TextField(null=True)
        reported_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        resolved = BooleanField(index=True, default=False)
        resolved_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'urgent_event'
    db.create_tables([UrgentEvent])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('urgent_event'))
    migrator.migrate(migrator.drop_table('transition_log'))
    migrator.migrate(migrator.drop_table('submit_token'))
    migrator.migrate(migrator.drop_table('saved_view'))
    migrator.migrate(migrator.drop_table('role_permission'))
    migrator.migrate(migrator.drop_table('return_exchange'))
    migrator.migrate(migrator.drop_table('repair'))
    migrator.migrate(migrator.drop_table('outbox_message'))
    migrator.migrate(migrator.drop_table('import_batch'))
    migrator.migrate(migrator.drop_table('holiday'))
    migrator.migrate(migrator.drop_table('grading_settings_change'))
    migrator.migrate(migrator.drop_table('grading_settings'))
    migrator.migrate(migrator.drop_table('grade_history'))
    migrator.migrate(migrator.drop_table('export_log'))
    migrator.migrate(migrator.drop_table('core_area'))
    migrator.migrate(migrator.drop_table('change_log'))
    migrator.migrate(migrator.drop_table('assignment_log'))
    migrator.migrate(migrator.drop_table('archive_record'))
    migrator.migrate(migrator.drop_table('survey_answer'))
    migrator.migrate(migrator.drop_table('question_item'))
    migrator.migrate(migrator.drop_table('survey_response'))
    migrator.migrate(migrator.drop_table('complaint'))
    migrator.migrate(migrator.drop_table('feedback'))
    migrator.migrate(migrator.drop_table('invitation'))
    migrator.migrate(migrator.drop_table('survey_batch'))
    migrator.migrate(migrator.drop_table('customer'))
    migrator.migrate(migrator.drop_table('questionnaire'))
    migrator.migrate(migrator.drop_table('access_log'))
    migrator.migrate(migrator.drop_table('users'))
