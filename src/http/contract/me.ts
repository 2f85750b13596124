import { AUTHENTICATED, errorResponses, json, WITH_BODY } from './errors';
import type { RouteContract } from './route';
import { NoQuery, UpdateUserBody, User } from './users';
import { z } from './zod';

const patterns = z.array(z.string()).openapi({ description: 'Field patterns (`*` is every field).' });

export const PermissionsSummary = z
  .object({
    sub: z.string(),
    roles: z.array(z.string()).openapi({ description: "The caller's roles as resolved (unknown ones included)." }),
    memberRoles: z.array(z.string()).optional().openapi({
      description:
        'ORG_SOURCE=organizations with ROLES_SOURCE=rbac: the member roles of the caller in `org` (the verified `org_id` of its token); each acts only in that organization, whatever its `scope`. Absent in other modes.',
    }),
    knownRoles: z
      .array(z.string())
      .openapi({ description: "The caller's roles the policy defines (tenant roles, then member roles not held as tenant roles too)." }),
    org: z.string().nullable(),
    actions: z.array(z.string()).openapi({ description: "Actions any of the caller's roles allows." }),
    scope: z.record(z.enum(['all', 'org'])).openapi({ description: "Per action: on every user, or only on the caller's org." }),
    read: patterns,
    write: patterns,
    grant: z.array(z.string()).openapi({ description: 'Roles the caller may add to or remove from `app_metadata.roles`.' }),
    connections: z.array(z.string()).openapi({ description: 'Connections the caller may create users in.' }),
    self: z
      .object({
        read: patterns,
        write: patterns,
        can: z
          .array(z.string())
          .openapi({ description: 'Desk actions the caller may take on its own account (with a role that allows them).' }),
      })
      .strict()
      .openapi({ description: "The policy's `self` section: what any verified caller may do through /me." }),
    log_fields: z
      .array(z.string())
      .openapi({ description: 'Log event fields the caller reads through `read_logs` (the union over its roles that allow it).' }),
    user_roles: z
      .object({
        source: z.string().openapi({ description: 'ROLES_SOURCE: `app_metadata`, `rbac` or `claim`.' }),
        field: z
          .string()
          .openapi({ description: 'The roles field: `app_metadata.<ROLES_PATH>`, or the pseudo-field `roles` with `rbac`.' }),
        read: z.boolean().openapi({ description: 'GET /users/{id}/roles is open to the caller (on users in its scope).' }),
        change: z
          .boolean()
          .openapi({ description: 'POST/DELETE /users/{id}/roles is open to the caller (tenant roles; roles reaching every org).' }),
        grant: z.array(z.string()).openapi({ description: 'Roles it may add or remove there (`*`: any).' }),
      })
      .strict()
      .openapi({ description: 'What the caller may do through /users/{id}/roles.' }),
    org_member_roles: z
      .object({
        read: z
          .boolean()
          .openapi({ description: 'GET /orgs/{org_id}/members/{user_id}/roles is open to the caller (in the organizations it acts in).' }),
        change: z.boolean().openapi({ description: 'POST/DELETE /orgs/{org_id}/members/{user_id}/roles is open to the caller.' }),
        grant: z.array(z.string()).openapi({ description: 'Member roles it may add or remove (`*`: any).' }),
      })
      .strict()
      .openapi({
        description:
          "What the caller may do with organizations' member roles through /orgs/{org_id}/members/{user_id}/roles, in the organizations its roles act in (see `scope`: `all`, every one; `org`, its own); `read` and `change` false when it reaches no organization (org-scoped roles and no `org`). Beside `user_roles` (/users/{id}/roles); not `memberRoles` (the caller's own member roles).",
      }),
  })
  .strict()
  .openapi('Permissions', {
    description: 'What the caller may do: call once after sign-in and hide the rest (usergate enforces it anyway).',
  });

export const meRoutes = {
  read: {
    method: 'get',
    path: '/me',
    operationId: 'getMe',
    tag: 'me',
    query: NoQuery,
    summary: "Your own profile, under the policy's self section",
    responses: {
      200: json('Your profile, filtered by `self.read`.', User),
      ...errorResponses([...AUTHENTICATED, 'user_not_found'], { forwards: true }),
    },
  },
  update: {
    method: 'patch',
    path: '/me',
    operationId: 'updateMe',
    tag: 'me',
    query: NoQuery,
    body: UpdateUserBody,
    summary: 'Change your own profile (only `self.write` fields; never your roles or org)',
    responses: {
      200: json('Your updated profile, filtered by `self.read`.', User),
      ...errorResponses(
        [...AUTHENTICATED, ...WITH_BODY, 'user_not_found', 'field_not_writable', 'self_forbidden', 'attribute_not_updatable'],
        { forwards: true },
      ),
    },
  },
  permissions: {
    method: 'get',
    path: '/me/permissions',
    operationId: 'getMyPermissions',
    tag: 'me',
    query: NoQuery,
    summary: 'What you may do',
    responses: { 200: json('Your effective permissions.', PermissionsSummary), ...errorResponses(AUTHENTICATED) },
  },
} satisfies Record<string, RouteContract>;
