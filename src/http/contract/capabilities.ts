import { DESK_ACTIONS } from '../../policy/fixed-fields';
import { AUTHENTICATED, errorResponses, json } from './errors';
import type { RouteContract } from './route';
import { NoQuery, USER_ID_ERRORS, UserIdParams } from './users';
import { z } from './zod';

const ActionCapability = z
  .union([
    z.object({ allowed: z.literal(true) }),
    z.object({
      allowed: z.literal(false),
      errorCode: z.string().openapi({ description: 'The errorCode the action answers, whatever the body.', example: 'target_protected' }),
      message: z.string().openapi({ description: 'The message it answers with.' }),
    }),
  ])
  .openapi('ActionCapability', { description: 'Whether the action on this user is allowed; when not, the refusal it gets.' });

const PER_USER_ACTIONS = ['read', 'update', 'delete', ...DESK_ACTIONS] as const;

export const Capabilities = z
  .object({
    user_id: z.string(),
    actions: z
      .object(
        Object.fromEntries(PER_USER_ACTIONS.map((a) => [a, ActionCapability])) as Record<
          (typeof PER_USER_ACTIONS)[number],
          typeof ActionCapability
        >,
      )
      .openapi({ description: 'Every per-user action of the policy; `logout` stands for DELETE /users/{id}/sessions.' }),
    writable: z.array(z.string()).openapi({
      description:
        'Attribute paths or subtrees a PATCH of this user may name (`*` expanded); empty when the caller may not change this user.',
      example: ['blocked', 'email_verified', 'user_metadata'],
    }),
    grantable_roles: z.array(z.string()).openapi({
      description:
        'Roles the caller may add to or remove from this user (through `app_metadata.<ROLES_PATH>`; with `ROLES_SOURCE=rbac`, through /users/{id}/roles).',
    }),
    roles: z
      .object({ read: ActionCapability, change: ActionCapability })
      .openapi({ description: 'GET /users/{id}/roles (`read`) and POST/DELETE /users/{id}/roles (`change`, within `grantable_roles`).' }),
    org: z
      .object({
        org_id: z.string(),
        actions: z.object({ remove_member: ActionCapability }).strict(),
        member_roles: z.object({ read: ActionCapability, change: ActionCapability }).strict(),
        grantable_roles: z.array(z.string()).openapi({ description: 'Member roles the caller may add to or remove from this user there.' }),
      })
      .strict()
      .nullable()
      .openapi({
        description:
          "The organization routes on this user in the caller's own organization (`null` without one): DELETE /orgs/{org_id}/members/{id}, and GET/POST/DELETE its member roles, as they would be decided for a member (a user who is not one answers 404 `user_not_found` there).",
      }),
  })
  .openapi('Capabilities', {
    description:
      'What the caller may do to this user, from the same decision the actions run: an allowed action is not refused by the policy for a body keeping to `writable` and `grantable_roles`; a refused one answers that errorCode whatever the body.',
  });

export const capabilitiesRoutes = {
  read: {
    method: 'get',
    path: '/users/{id}/capabilities',
    operationId: 'getUserCapabilities',
    tag: 'users',
    params: UserIdParams,
    fieldErrors: USER_ID_ERRORS,
    query: NoQuery,
    summary: 'What you may do to one user',
    description: 'Answers for every per-user action before it is tried; a user outside your scope is a 404, as a read is.',
    responses: {
      200: json("The caller's capabilities on this user.", Capabilities),
      ...errorResponses([...AUTHENTICATED, 'invalid_user_id', 'user_not_found', 'no_role', 'action_forbidden'], { forwards: true }),
    },
  },
} satisfies Record<string, RouteContract>;
