"""Never lose your place: a save returns to the list as it was, marks the row and names the record."""
from urllib.parse import parse_qs, quote, urlsplit

import panel_specs
import pytest
from panel_specs import SPECS, alerts, form_for, make_row, spec_id

from views.place import record_title

app, module_app, fast_password_hashing = panel_specs.app, panel_specs.module_app, panel_specs.fast_password_hashing
LIST_STATE = "/admin/{endpoint}/?search=%E5%8D%8E%E4%B8%9C&sort=1&desc=1&page=2&page_size=50"


def _returned_to(response, spec):
    target = urlsplit(response.location)
    return target.path, {key: values[0] for key, values in parse_qs(target.query).items()}


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_create_returns_to_the_list_as_it_was_and_names_the_new_record(manager_client, make_customer, spec):
    came_from = LIST_STATE.format(endpoint=spec.endpoint)
    response = manager_client.post(f"/admin/{spec.endpoint}/new/?url={quote(came_from)}",
                                   data=form_for(spec, make_customer()))
    assert response.status_code == 302, alerts(response)
    created = spec.model.select().order_by(spec.model.id.desc()).get()
    path, args = _returned_to(response, spec)
    assert path == f"/admin/{spec.endpoint}/"
    assert args == {"search": "华东", "sort": "1", "desc": "1", "page": "2", "page_size": "50",
                    "highlight": str(created.id)}
    page = manager_client.get(response.location).get_data(as_text=True)
    message = " ".join(alerts_text for alerts_text in panel_specs.ALERT_RE.findall(page))
    assert "已创建" in message and record_title(created) in message
    assert f'/admin/{spec.endpoint}/details/?id={created.id}' in message
    assert "成功" not in message  # Flask-Admin's own nameless words are gone


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_edit_returns_to_the_list_as_it_was_and_names_the_record(manager_client, make_customer, make_record, spec):
    record = make_row(spec, make_customer, make_record)
    manager_client.post("/language", data={"language": "en", "next": "/admin/"})
    came_from = LIST_STATE.format(endpoint=spec.endpoint)
    customer = None if spec.model.__name__ == "Customer" else record.customer
    data = form_for(spec, customer, row_version="1", **{spec.edit_field: "改过的内容"})
    response = manager_client.post(f"/admin/{spec.endpoint}/edit/?id={record.id}&url={quote(came_from)}", data=data)
    assert response.status_code == 302, alerts(response)
    _path, args = _returned_to(response, spec)
    assert args["highlight"] == str(record.id) and args["search"] == "华东" and args["page"] == "2"
    page = manager_client.get(response.location).get_data(as_text=True)
    assert "Saved" in page and record_title(spec.model.get_by_id(record.id)) in page
