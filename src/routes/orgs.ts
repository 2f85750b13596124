import { orgsRoutes as contract } from '../http/contract/orgs';
import {
  changeMemberRoles,
  createInvitation,
  listInvitations,
  listMembers,
  readMemberRoles,
  removeMember,
  revokeInvitation,
} from '../operations';
import { contextOf } from './context';
import { routeGroup } from './route-table';

/** Auth0 Organizations (docs/api.md): members, member roles, invitations; one operation per route of the contract. */
export function orgsRoutes(options: { invitationClientId?: string }) {
  return routeGroup(contract, {
    listMembers: ({ params, query }, res) => listMembers(contextOf(res), params.org_id, query),
    removeMember: ({ params }, res) => removeMember(contextOf(res), params.org_id, params.user_id),
    readMemberRoles: ({ params }, res) => readMemberRoles(contextOf(res), params.org_id, params.user_id),
    addMemberRoles: ({ params, body }, res) => changeMemberRoles(contextOf(res), params.org_id, params.user_id, body.roles, 'add'),
    removeMemberRoles: ({ params, body }, res) => changeMemberRoles(contextOf(res), params.org_id, params.user_id, body.roles, 'remove'),
    listInvitations: ({ params, query }, res) => listInvitations(contextOf(res), params.org_id, query),
    createInvitation: ({ params, body }, res) => createInvitation(contextOf(res), params.org_id, body, options.invitationClientId),
    revokeInvitation: ({ params }, res) => revokeInvitation(contextOf(res), params.org_id, params.invitation_id),
  });
}
