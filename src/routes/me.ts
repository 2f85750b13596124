import { meRoutes as contract } from '../http/contract/me';
import { readMe, updateMe } from '../operations';
import { orgMemberRolesSummary } from '../policy/org-summary';
import { contextOf } from './context';
import { routeGroup } from './route-table';

/** /me: the caller's own profile under the `self` policy, and its effective permissions. */
export function meRoutes() {
  return routeGroup(contract, {
    read: (_input, res) => readMe(contextOf(res)),
    update: ({ body }, res) => updateMe(contextOf(res), body),
    permissions: (_input, res) => {
      const p = contextOf(res).permissions;
      return { ...p.summary(), org_member_roles: orgMemberRolesSummary(p) };
    },
  });
}
