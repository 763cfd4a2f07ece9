"""Each user's defaults for new records: owner, recorder, channel (My account → My defaults)."""
import peewee as pw

from models.base import BaseModel
from models.choices import CHANNELS
from models.user import User

OWNER_DEFAULTS = ("me", "blank")
RECORDER_DEFAULTS = ("me", "blank")
#: "auto": the channel of most of the user's recent records; else a channel code
CHANNEL_DEFAULTS = ("auto", *(code for code, _label in CHANNELS))


class FormDefaults(BaseModel):
    """One user's choices of what a new record's form is filled in with; no row means the house defaults."""

    user = pw.ForeignKeyField(User, unique=True, on_delete="CASCADE")
    owner = pw.CharField(max_length=8, default="me")
    recorder = pw.CharField(max_length=8, default="me")
    channel = pw.CharField(max_length=16, default="auto")

    class Meta:
        table_name = "form_defaults"

    @classmethod
    def of(cls, user_id):
        """Return the user's defaults (an unsaved row with the house defaults when none are stored)."""
        return cls.get_or_none(cls.user == user_id) or cls(user=user_id)
