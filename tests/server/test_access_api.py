"""Who may see what over REST: a real jupyter_server in shared mode whose identity provider maps
two tokens to two users, alice and bob. Each rule is checked with both identities."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from jupyter_server.auth.identity import IdentityProvider, User

from . import rest

TOKENS = {"alice-secret-token": "alice", "bob-secret-token": "bob"}


class TwoUsers(IdentityProvider):
    """A token per user, as a JupyterHub-like deployment gives each person their own identity."""

    def get_user(self, handler: Any) -> User | None:
        header = handler.request.headers.get("Authorization", "")
        name = TOKENS.get(header.removeprefix("token ").strip())
        if name is None:
            return None
        handler._token_authenticated = True  # an API token, as JupyterHub's: no XSRF cookie needed
        return User(name)


@pytest.fixture
def jp_server_config(jp_server_config):
    """The suite's server (tests/server/conftest.py) in shared mode, knowing its users by TwoUsers."""
    jp_server_config["ServerApp"]["identity_provider_class"] = f"{__name__}.TwoUsers"
    jp_server_config["DataplaneExtension"].update({"access": "members", "scheduler": False})
    return jp_server_config


@pytest.fixture
def as_(jp_fetch):
    """`await as_("bob", "GET", "projects")` → (status, json) as that user."""

    async def call(user: str | None, method: str, path: str, body: Any = None, params: Any = None,
                   raw: bytes | None = None):
        token = next((t for t, u in TOKENS.items() if u == user), "nobody")
        return await rest.call(jp_fetch, method, path, body, params, raw,
                               headers={"Authorization": f"token {token}"})

    return call


async def upload(as_, user: str, name: str) -> tuple[int, Any]:
    return await as_(user, "POST", "projects/alpha/datasets/upload", raw=b"id,price\n1,2.5\n2,3.5\n",
                     params={"filename": f"{name}.csv"})


async def until_ready(as_, user: str, dataset: str) -> dict[str, Any]:
    return await rest.wait_ready(functools.partial(as_, user), "alpha", dataset)


async def test_each_user_is_the_jupyter_servers_identity(as_):
    assert await as_("alice", "GET", "identity") == (200, {"user": "alice", "access": "members"})
    assert await as_("bob", "GET", "identity") == (200, {"user": "bob", "access": "members"})
    assert (await as_(None, "GET", "identity"))[0] == 403


async def test_non_members_get_404_for_everything_of_the_project(as_):
    code, created = await as_("alice", "POST", "projects", {"name": "alpha"})
    assert code == 201 and (created["created_by"], created["role"]) == ("alice", "owner")
    code, ds = await upload(as_, "alice", "sales")
    assert code == 202
    ready = await until_ready(as_, "alice", "sales")
    assert ready["status"] == "ready"
    code, job = await as_("alice", "GET", f"jobs/{ready['job_id']}")
    assert code == 200 and job["created_by"] == "alice"

    assert await as_("bob", "GET", "projects") == (200, {"projects": []})
    missing = {"message": "No project named 'alpha'.", "field": None, "hints": []}
    for method, path, body in [
        ("GET", "projects/alpha", None),
        ("DELETE", "projects/alpha", None),
        ("GET", "projects/alpha/datasets", None),
        ("GET", "projects/alpha/datasets/sales", None),
        ("GET", "projects/alpha/datasets/sales/statistics", None),
        ("DELETE", "projects/alpha/datasets/sales", None),
        ("GET", "projects/alpha/members", None),
        ("POST", "projects/alpha/members", {"user": "bob", "role": "owner"}),
        ("GET", "projects/alpha/connectors", None),
        ("GET", "projects/alpha/jobs", None),
    ]:
        assert await as_("bob", method, path, body) == (404, missing), (method, path)
    assert await upload(as_, "bob", "mine") == (404, missing)
    code, body = await as_("bob", "GET", f"jobs/{ready['job_id']}")
    assert (code, body["message"]) == (404, f"No job with id {ready['job_id']!r}.")
    assert (await as_("bob", "POST", f"jobs/{ready['job_id']}/cancel"))[0] == 404
    code, body = await as_("bob", "POST", "projects", {"name": "alpha"})
    assert code == 409  # the name is taken, whoever holds it
    code, listed = await as_("alice", "GET", "projects/alpha/datasets")
    assert [d["name"] for d in listed["datasets"]] == ["sales"]


async def test_viewers_read_but_cannot_create_run_export_delete_or_manage(as_, sales_db):
    await as_("alice", "POST", "projects", {"name": "alpha"})
    await upload(as_, "alice", "sales")
    ready = await until_ready(as_, "alice", "sales")
    code, _ = await as_("alice", "POST", "projects/alpha/connectors",
                        {"name": "lite", "kind": "sql", "fields": {"dialect": "sqlite", "database": str(sales_db)}})
    assert code == 201
    assert (await as_("alice", "POST", "projects/alpha/datasources",
                      {"name": "weekly", "connector": "lite", "locator": {"table": "sales"}}))[0] == 201
    assert (await as_("alice", "POST", "projects/alpha/exporters",
                      {"name": "out", "connector": "lite", "destination": {"table": "copy"}, "mode": "overwrite"}))[0] == 201
    assert (await as_("alice", "POST", "projects/alpha/pipelines",
                      {"name": "p", "steps": [{"name": "s", "kind": "read", "datasource": "weekly"}]}))[0] == 201
    code, member = await as_("alice", "POST", "projects/alpha/members", {"user": "bob", "role": "viewer"})
    assert (code, member) == (201, {"user": "bob", "role": "viewer", "added_by": "alice"})

    code, listed = await as_("bob", "GET", "projects")
    assert [(p["name"], p["role"]) for p in listed["projects"]] == [("alpha", "viewer")]
    assert (await as_("bob", "GET", "projects/alpha/datasets/sales/statistics"))[0] == 200
    assert (await as_("bob", "GET", "projects/alpha/datasets/sales/sample"))[0] == 200
    assert (await as_("bob", "GET", f"jobs/{ready['job_id']}"))[0] == 200
    code, members = await as_("bob", "GET", "projects/alpha/members")
    assert [(m["user"], m["role"]) for m in members["members"]] == [("alice", "owner"), ("bob", "viewer")]

    def refused(action: str, role: str) -> tuple[int, dict[str, Any]]:
        return 403, {"message": f"To {action} in project 'alpha' you need the {role} role; 'bob' is a viewer.",
                     "field": None, "hints": []}

    assert await upload(as_, "bob", "mine") == refused("import a dataset", "editor")
    for method, path, body, action, role in [
        ("DELETE", "projects/alpha/datasets/sales", None, "delete a dataset", "editor"),
        ("PATCH", "projects/alpha/datasets/sales", {"name": "renamed"}, "change a dataset", "editor"),
        ("POST", "projects/alpha/datasets/sales/export", {"exporter": "out"}, "export a dataset", "editor"),
        ("POST", "projects/alpha/datasets/from-datasource", {"datasource": "weekly", "name": "w"},
         "import a dataset", "editor"),
        ("POST", "projects/alpha/pipelines/p/runs", {}, "run a pipeline", "editor"),
        ("POST", "projects/alpha/datasources", {"name": "w2", "connector": "lite", "locator": {"table": "sales"}},
         "create a datasource", "editor"),
        ("POST", f"jobs/{ready['job_id']}/cancel", None, "cancel a job", "editor"),
        ("POST", "projects/alpha/members", {"user": "carol", "role": "viewer"}, "manage members", "owner"),
        ("DELETE", "projects/alpha/members/alice", None, "manage members", "owner"),
        ("POST", "projects/alpha/connectors", {"name": "c2", "kind": "sql", "fields": {"dialect": "sqlite", "database": "x.db"}},
         "create a connector", "owner"),
        ("DELETE", "projects/alpha", None, "delete the project", "owner"),
    ]:
        assert await as_("bob", method, path, body) == refused(action, role), (method, path)
    code, listed = await as_("alice", "GET", "projects/alpha/datasets")
    assert [d["name"] for d in listed["datasets"]] == ["sales"]


async def test_editors_create_and_run_but_only_owners_manage_members_and_secrets(as_, sales_db):
    await as_("alice", "POST", "projects", {"name": "alpha"})
    await as_("alice", "POST", "projects/alpha/connectors",
              {"name": "lite", "kind": "sql", "fields": {"dialect": "sqlite", "database": str(sales_db)}})
    await as_("alice", "POST", "projects/alpha/members", {"user": "bob", "role": "editor"})

    code, ds = await upload(as_, "bob", "by_bob")
    assert code == 202
    ready = await until_ready(as_, "bob", "by_bob")
    assert ready["status"] == "ready"
    code, job = await as_("alice", "GET", f"jobs/{ready['job_id']}")
    assert job["created_by"] == "bob"
    assert (await as_("bob", "POST", "projects/alpha/datasources",
                      {"name": "weekly", "connector": "lite", "locator": {"table": "sales"}}))[0] == 201

    def refused(action: str) -> tuple[int, dict[str, Any]]:
        return 403, {"message": f"To {action} in project 'alpha' you need the owner role; 'bob' is an editor.",
                     "field": None, "hints": []}

    for method, path, body, action in [
        ("PATCH", "projects/alpha/connectors/lite", {"fields": {"database": "/tmp/elsewhere.db"}}, "change a connector"),
        ("DELETE", "projects/alpha/connectors/lite", None, "delete a connector"),
        ("POST", "projects/alpha/members", {"user": "carol", "role": "viewer"}, "manage members"),
        ("DELETE", "projects/alpha", None, "delete the project"),
    ]:
        assert await as_("bob", method, path, body) == refused(action), (method, path)
    assert (await as_("bob", "DELETE", "projects/alpha/datasets/by_bob"))[0] == 204

    # the owner takes bob out again: the project is gone for him
    assert (await as_("alice", "DELETE", "projects/alpha/members/bob"))[0] == 204
    assert await as_("bob", "GET", "projects") == (200, {"projects": []})
    assert (await as_("bob", "GET", "projects/alpha"))[0] == 404
    code, body = await as_("alice", "DELETE", "projects/alpha/members/alice")
    assert (code, body["message"]) == (409, "'alice' is the last owner of project 'alpha'; make someone else owner first.")
    code, body = await as_("alice", "POST", "projects/alpha/members", {"user": "bob", "role": "admin"})
    assert code == 422 and body["field"] == "role"
    assert (await as_("alice", "DELETE", "projects/alpha"))[0] == 204
