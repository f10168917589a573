"""First web checks: each role lands on its own Beranda."""

import pytest


@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota", "sekolah"])
def test_each_role_lands_on_its_beranda(client_for, accounts, role):
    """Beranda redirects each role to its own region or school, which renders."""
    client = client_for(role)
    response = client.get("/beranda/", follow=True)
    assert response.status_code == 200
    account = accounts[role]
    expected = account.npsn or account.region_code or "ID"
    assert response.redirect_chain[-1][0].rstrip("/").endswith(expected)
