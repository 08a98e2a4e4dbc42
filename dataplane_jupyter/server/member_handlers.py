"""REST handlers for who may see what: the caller's identity and a project's members."""

from __future__ import annotations

from ..core.models import AddMember, DescribeIdentity, DescribeMember, ListMembersResponse
from .base import DataplaneHandler, operation


class IdentityHandler(DataplaneHandler):
    @operation("Who the server takes the caller for, and the access mode", response=DescribeIdentity)
    async def get(self) -> None:
        catalog = self.catalog
        self.reply(DescribeIdentity(user=catalog.user, access=catalog.settings.access))


class MembersHandler(DataplaneHandler):
    @operation("List a project's members", response=ListMembersResponse)
    async def get(self, project: str) -> None:
        members = await self.call(lambda: self.project(project).members.list())
        self.reply(ListMembersResponse(members=members))

    @operation("Add a member, or give a member another role (owners only in shared mode)",
               body=AddMember, response=DescribeMember, status=201)
    async def post(self, project: str) -> None:
        request = self.body(AddMember)
        member = await self.call(lambda: self.project(project).members.add(request.user, role=request.role))
        self.reply(member, status=201)


class MemberHandler(DataplaneHandler):
    @operation("Remove a member (owners only in shared mode; the last owner stays)", status=204)
    async def delete(self, project: str, user: str) -> None:
        await self.call(lambda: self.project(project).members.remove(user))
        self.set_status(204)
        self.finish()
