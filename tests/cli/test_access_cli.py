"""Who may see what from the terminal: `--user`, DATAPLANE_USER, `dataplane members`, and the
messages of shared mode (DATAPLANE_ACCESS=members), in real subprocesses."""

from __future__ import annotations

import json

from tests.cli.test_cli import dataplane


def test_members_verbs_and_shared_mode_from_the_terminal(isolated_home, monkeypatch, tmp_path):
    monkeypatch.setenv("DATAPLANE_ACCESS", "members")
    monkeypatch.setenv("DATAPLANE_USER", "alice")
    created = json.loads(dataplane("--json", "projects", "create", "alpha").stdout)
    assert (created["created_by"], created["role"]) == ("alice", "owner")
    added = json.loads(dataplane("--json", "-p", "alpha", "members", "add", "bob", "--role", "viewer").stdout)
    assert added == {"user": "bob", "role": "viewer", "added_by": "alice"}
    listed = dataplane("-p", "alpha", "members", "list").stdout
    assert "alice" in listed and "bob" in listed and "viewer" in listed

    # --user wins over DATAPLANE_USER; carol is no member: the project does not exist for her
    assert json.loads(dataplane("--json", "--user", "carol", "projects", "list").stdout) == []
    hidden = dataplane("--user", "carol", "-p", "alpha", "datasets", "list", check=False)
    assert hidden.returncode == 1 and hidden.stderr.startswith("error: No project named 'alpha'.")

    # bob reads, but an import needs the editor role and members need the owner
    csv = tmp_path / "sales.csv"
    csv.write_text("id,price\n1,2.5\n")
    assert json.loads(dataplane("--json", "--user", "bob", "-p", "alpha", "datasets", "list").stdout) == []
    refused = dataplane("--user", "bob", "-p", "alpha", "datasets", "import", str(csv), "--name", "s", check=False)
    assert (refused.returncode, refused.stderr.strip()) == (
        1, "error: To import a dataset in project 'alpha' you need the editor role; 'bob' is a viewer.")
    refused = dataplane("--user", "bob", "-p", "alpha", "members", "add", "carol", check=False)
    assert refused.stderr.strip() == (
        "error: To manage members in project 'alpha' you need the owner role; 'bob' is a viewer.")

    dataplane("-p", "alpha", "members", "add", "bob", "--role", "editor")
    imported = json.loads(dataplane("--json", "--user", "bob", "-p", "alpha", "datasets", "import", str(csv),
                                    "--name", "s", "--wait").stdout)
    assert imported["rows"] == 1
    assert json.loads(dataplane("--json", "-p", "alpha", "members", "remove", "bob").stdout) == {"removed": "bob"}
    assert json.loads(dataplane("--json", "--user", "bob", "projects", "list").stdout) == []
