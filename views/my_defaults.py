"""My account → My defaults: what my new records' forms start with (owner, recorder, channel)."""
from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField

from admin_app.permissions import allowed
from admin_app.services.forms import defaults
from models.choices import CHANNELS
from models.form_defaults import FormDefaults
from views.form_fit import OWNED_ENDPOINTS

OWNER_CHOICES = [("me", _l("Me")), ("blank", _l("Nobody: I choose each time"))]
RECORDER_CHOICES = [("me", _l("Me")), ("blank", _l("Leave empty"))]


class DefaultsForm(FlaskForm):
    """The three defaults of new records."""

    owner = SelectField(_l("Owner of new records"), choices=OWNER_CHOICES)
    recorder = SelectField(_l("Recorded by (feedback)"), choices=RECORDER_CHOICES)
    channel = SelectField(_l("Channel of new feedback and complaints"),
                          choices=[("auto", _l("The one I use most")), *CHANNELS])


class MyDefaultsMixin:
    """Adds the "My defaults" form to the account page and its save route."""

    def may_reassign_somewhere(self):
        """Tell whether the user may choose the owner of any kind of new record."""
        return any(allowed(endpoint, "reassign") for endpoint in OWNED_ENDPOINTS)

    def defaults_form(self):
        """Return the form filled with the user's stored defaults."""
        stored = FormDefaults.of(current_user.id)
        return DefaultsForm(formdata=None, owner=stored.owner, recorder=stored.recorder, channel=stored.channel)

    def most_used_channel_label(self):
        """Return the label of the channel the user uses most on feedback, or None."""
        from models import Feedback

        code = defaults.most_used_channel(Feedback, current_user.id)
        return dict(CHANNELS).get(code) if code else None

    @expose("/defaults/", methods=("POST",))
    def save_defaults(self):
        if not allowed(self.endpoint, "edit"):
            abort(403)
        form = DefaultsForm()
        may_choose = self.may_reassign_somewhere()
        if not may_choose:
            del form.owner  # not offered: the creator always owns what they create
        if not form.validate_on_submit():
            flash(_("Your defaults were not saved: choose one of the offered values."), "error")
            return redirect(url_for(".index"))
        owner = form.owner.data if may_choose else "me"
        defaults.save(current_user.id, owner, form.recorder.data, form.channel.data)
        flash(_("Your defaults were saved."), "success")
        return redirect(url_for(".index") + "#my-defaults")
