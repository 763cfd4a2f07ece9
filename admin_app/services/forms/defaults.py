"""What a new record's form is filled in with for one user: owner, recorder, channel (issue 13 item 5).

Plain functions over data: the views ask `new_record_values` and put the answer into the form.
"""
from collections import Counter

from models.form_defaults import FormDefaults

#: how many of the user's latest records the "most used channel" is counted over
RECENT = 50


def most_used_channel(model, user_id, recent=RECENT):
    """Return the channel code of most of the user's `recent` latest records of `model` (ties: the latest), or None.

    "The user's records" are those they own (new records are their creator's until handed on). A clerk at the
    phone desk records phone calls, so their default becomes "phone" by itself. `user_id` None: everyone's.
    """
    query = model.select(model.channel)
    if user_id is not None:
        query = query.where(model.owner == user_id)
    rows = query.order_by(model.id.desc()).limit(recent).tuples()
    channels = [channel for (channel,) in rows]
    if not channels:
        return None
    counts = Counter(channels)
    best = max(counts.values())
    return next(channel for channel in channels if counts[channel] == best)


def new_record_values(model, user, may_reassign, settings=None):
    """Return {field: value} a new `model` record's form starts with for `user`.

    `owner` is the user's id unless they may reassign and chose to pick each time; `recorder` is their name
    (feedback); `channel` is their chosen channel, or the one they use most. Fields the model lacks are left out.
    """
    settings = settings or FormDefaults.of(user.id)
    fields = model._meta.fields
    values = {}
    if "owner" in fields and (settings.owner == "me" or not may_reassign):
        values["owner"] = user.id
    if "recorder" in fields and settings.recorder == "me":
        values["recorder"] = str(user)
    if "channel" in fields and getattr(fields["channel"], "choices", None):
        # a newcomer with no records yet starts with the office's usual channel, not the list's first (letter)
        channel = settings.channel if settings.channel != "auto" else (
            most_used_channel(model, user.id) or most_used_channel(model, None))
        if channel:
            values["channel"] = channel
    return values


def save(user_id, owner, recorder, channel):
    """Store a user's defaults; raise ValueError on a value outside the offered choices."""
    from models.form_defaults import CHANNEL_DEFAULTS, OWNER_DEFAULTS, RECORDER_DEFAULTS

    if owner not in OWNER_DEFAULTS or recorder not in RECORDER_DEFAULTS or channel not in CHANNEL_DEFAULTS:
        raise ValueError(channel)
    row = FormDefaults.of(user_id)
    row.owner, row.recorder, row.channel = owner, recorder, channel
    row.save()
    return row
