def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/customer/")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_clerk_sees_customer_list(clerk_client, make_customer):
    make_customer(name="华为测试")
    page = clerk_client.get("/admin/customer/").get_data(as_text=True)
    assert "华为测试" in page
