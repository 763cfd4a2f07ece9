"""The answer form of a questionnaire, shared by the public page and the clerk's follow-up entry."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from admin_app.typed_forms import TypedValuesMixin
from models.choices import SATISFACTION

CHOOSE = _l("Please choose one of the five levels.")


def localized(record, name):
    """Return the English text of a field when the page is in English and one exists, else the Chinese."""
    english = getattr(record, f"{name}_en", None)
    return english if english and str(get_locale()).startswith("en") else getattr(record, name)


def answer_form_class(items):
    """Return a form class with one required level and an optional remark per item, an overall and a comment."""

    class AnswerForm(TypedValuesMixin, FlaskForm):  # typed text normalised and bounded as on every form
        overall = RadioField(_l("Overall evaluation"), choices=SATISFACTION, validators=[InputRequired(CHOOSE)])
        comment = TextAreaField(_l("Comments and suggestions"), validators=[Optional(), Length(max=2000)])

    for item in items:
        setattr(AnswerForm, f"item_{item.id}", RadioField(localized(item, "text"), choices=SATISFACTION,
                                                          validators=[InputRequired(CHOOSE)]))
        setattr(AnswerForm, f"remark_{item.id}", TextAreaField(_l("Remarks"),
                                                               validators=[Optional(), Length(max=1000)]))
    return AnswerForm


def answers_from(form, items):
    """Return {item_id: (level, remark)} from a validated answer form."""
    return {item.id: (form[f"item_{item.id}"].data, form[f"remark_{item.id}"].data) for item in items}
