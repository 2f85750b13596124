import { MAX_USER_ID_LENGTH } from '../../management/user-id';
import { MAX_PER_PAGE, PAGING_CAP } from '../../management/auth0-limits';
import { MAX_QUERY_LENGTH } from '../../policy/search-query';
import { isRoleName, MAX_ROLE_NAME, ROLE_NAME_RULE } from '../../policy/role-name';
import { MAX_ROLES } from '../../directory';
import { errors } from '../../errors';
import { AUTHENTICATED, errorResponses, json, empty, WITH_BODY, type ErrorCode } from './errors';
import { bool, sortParam, wholeNumber } from './params';
import type { FieldErrors, RouteContract } from './route';
import { z } from './zod';

const fields = z
  .string()
  .max(2000, 'fields is too long')
  .openapi({ description: 'Comma-separated user attributes, each readable by the caller.', example: 'user_id,email,name' });
const includeFields = bool('include_fields').openapi({
  description: 'true (default): only `fields`; false: everything readable except `fields`.',
});

/** The path parameter of every `/users/{id}` route. */
export const UserIdParams = z.object({
  id: z.string().min(1).max(MAX_USER_ID_LENGTH, 'invalid_user_id').openapi({
    description:
      'An Auth0 user id, `provider|id`: a provider prefix of letters, digits and `_.-`, then `|`, then any characters but whitespace and control characters (custom ids may hold `/` and `:`); at most 512 characters; percent-encoded in the path. The length is judged first; the form once the caller is known to have the action (400 `invalid_user_id`).',
    example: 'auth0|64f1c2aa',
  }),
});
/** A malformed `{id}` is 400 invalid_user_id, before anything is looked up. */
export const USER_ID_ERRORS: { params: FieldErrors } = { params: { id: () => errors.invalidUserId() } };

export const ListUsersQuery = z
  .object({
    q: z.string().max(MAX_QUERY_LENGTH, `q is longer than ${MAX_QUERY_LENGTH} characters`).optional().openapi({
      description: 'Auth0 Lucene query (search engine v3); every field named must be readable; no regular expressions.',
      example: 'email:*@acme.example AND blocked:true',
    }),
    page: wholeNumber(
      'page',
      0,
      PAGING_CAP - 1,
      `The page, from 0; (page + 1) × per_page may not exceed ${PAGING_CAP} (Auth0 serves the first ${PAGING_CAP} results only: 400 invalid_paging).`,
    ).optional(),
    per_page: wholeNumber('per_page', 1, MAX_PER_PAGE, `Users per page, from 1 to ${MAX_PER_PAGE}; default 50.`).optional(),
    sort: sortParam.optional(),
    include_totals: bool('include_totals')
      .optional()
      .openapi({ description: 'true: answer `{start, limit, length, total, users}` instead of an array.' }),
    fields: fields.optional(),
    include_fields: includeFields.optional(),
  })
  .strict();

/** Auth0 refuses a page that would end past the first 1000 results, not only one that starts there. */
export function pagingRule(query: { page?: unknown; per_page?: unknown }, defaultPerPage = 50) {
  const page = Number(query.page ?? 0);
  const perPage = Number(query.per_page ?? defaultPerPage);
  return (page + 1) * perPage > PAGING_CAP ? errors.invalidPaging() : undefined;
}

export const UsersByEmailQuery = z
  .object({
    email: z
      .string({ required_error: 'email must be an email address' })
      .max(320, 'email must be an email address')
      .regex(/^[^\s@]+@[^\s@]+$/, 'email must be an email address')
      .openapi({ example: 'ada@acme.example' }),
    fields: fields.optional(),
    include_fields: includeFields.optional(),
  })
  .strict();

export const FieldsQuery = z.object({ fields: fields.optional(), include_fields: includeFields.optional() }).strict();
export const NoQuery = z.object({}).strict();

/** Auth0 dates: ISO strings (an object in some older tenants). */
const date = z.union([z.string(), z.record(z.unknown())]);
const metadata = z.record(z.unknown());

export const Identity = z
  .object({
    connection: z.string(),
    provider: z.string(),
    user_id: z.union([z.string(), z.number()]),
    isSocial: z.boolean(),
  })
  .partial()
  .passthrough()
  .openapi('Identity', { description: 'One identity of a user; IdP tokens are never included.' });

export const User = z
  .object({
    user_id: z.string(),
    email: z.string(),
    email_verified: z.boolean(),
    username: z.string(),
    phone_number: z.string(),
    phone_verified: z.boolean(),
    created_at: date,
    updated_at: date,
    identities: z.array(Identity),
    app_metadata: metadata,
    user_metadata: metadata,
    picture: z.string(),
    name: z.string(),
    nickname: z.string(),
    given_name: z.string(),
    family_name: z.string(),
    multifactor: z.array(z.string()),
    last_ip: z.string(),
    last_login: date,
    logins_count: z.number().int(),
    blocked: z.boolean(),
  })
  .partial()
  .passthrough()
  .openapi('User', { description: 'An Auth0 user, minus every field the caller may not read.' });

export const UserPage = z
  .object({
    start: z.number().int(),
    limit: z.number().int(),
    length: z.number().int().openapi({ description: 'Users in this page after filtering.' }),
    total: z.number().int(),
    users: z.array(User),
  })
  .partial({ start: true, limit: true, total: true })
  .strict()
  .openapi('UserPage', { description: 'A page of users with totals (`include_totals=true`).' });

const userWritable = {
  email: z.string(),
  phone_number: z.string(),
  username: z.string(),
  password: z.string(),
  name: z.string(),
  nickname: z.string(),
  given_name: z.string(),
  family_name: z.string(),
  picture: z.string(),
  blocked: z.boolean(),
  email_verified: z.boolean(),
  phone_verified: z.boolean(),
  verify_email: z.boolean(),
  app_metadata: metadata,
  user_metadata: metadata,
};

export const CreateUserBody = z
  .object({
    connection: z
      .string({ required_error: 'connection is required.', invalid_type_error: 'connection is required.' })
      .min(1, 'connection is required.')
      .openapi({
        description: "The database connection to create the user in; one of the caller's `connections`.",
        example: 'Username-Password-Authentication',
      }),
    user_id: z.string(),
    ...userWritable,
  })
  .partial({
    user_id: true,
    ...(Object.fromEntries(Object.keys(userWritable).map((k) => [k, true])) as Record<keyof typeof userWritable, true>),
  })
  .passthrough()
  .openapi('CreateUserBody', {
    example: { connection: 'Username-Password-Authentication', email: 'ada@acme.example', password: 'a long passphrase' },
    description: "Auth0's create-user body; every field must be writable by the caller, roles grantable, the connection allowed.",
  });

export const UpdateUserBody = z
  .object({ ...userWritable, connection: z.string() })
  .partial()
  .passthrough()
  .openapi('UpdateUserBody', {
    example: { user_metadata: { plan: 'pro' } },
    description: "Auth0's update-user body (root attributes replaced, metadata merged one level deep; `null` deletes a key).",
  });

/** `{"roles": [names]}`: the roles a /users/{id}/roles write adds or removes. */
export const RolesBody = z
  .object({
    roles: z
      .array(z.string().max(MAX_ROLE_NAME, `each role name is ${ROLE_NAME_RULE}`).refine(isRoleName, `each role name is ${ROLE_NAME_RULE}`))
      .min(1, 'roles names at least one role.')
      .max(MAX_ROLES, `roles names at most ${MAX_ROLES} roles.`)
      .openapi({ description: 'Role names; each must be in the `grant` list of a caller role reaching every org.', example: ['support'] }),
  })
  .strict()
  .openapi('RolesBody', { example: { roles: ['support'] } });

export const RolesAnswer = z
  .object({ roles: z.array(z.string()).openapi({ description: 'The names of the roles the user holds.', example: ['support'] }) })
  .strict()
  .openapi('Roles');

const FIELD_QUERY: ErrorCode[] = ['field_not_readable', 'invalid_query'];
const TARGET: ErrorCode[] = ['invalid_user_id', 'user_not_found', 'no_role', 'action_forbidden'];
const WRITE: ErrorCode[] = [
  'field_not_writable',
  'role_not_grantable',
  'invalid_roles',
  'org_forbidden',
  'self_forbidden',
  'attribute_not_updatable',
];

/** What adding or taking roles may answer besides its roles: the same for both. */
const ROLE_CHANGE_ERRORS = errorResponses(
  [
    ...AUTHENTICATED,
    ...WITH_BODY,
    ...TARGET,
    'invalid_roles',
    'role_not_grantable',
    'self_forbidden',
    'target_protected',
    'not_configured',
  ],
  { forwards: true },
);

export const usersRoutes = {
  list: {
    method: 'get',
    path: '/users',
    operationId: 'listUsers',
    tag: 'users',
    action: 'list',
    query: ListUsersQuery,
    fieldErrors: { query: { q: errors.invalidSearch } },
    queryRule: pagingRule,
    summary: 'Search users',
    description:
      "Auth0 Lucene search under the caller's policy; an org-scoped caller's search is narrowed to its org. Only the first 1000 results can be paged through. With ORG_SOURCE=organizations, an org-scoped caller pages through its organization's members (each with `user_id`, `email`, `name`, `picture` at most) and any `q` or `sort` answers 400 `org_search_unavailable`.",
    responses: {
      200: json('The users the caller may list, each filtered.', z.union([z.array(User), UserPage])),
      ...errorResponses(
        [
          ...AUTHENTICATED,
          'no_role',
          'action_forbidden',
          'invalid_search',
          'invalid_paging',
          'search_too_expensive',
          'org_search_unavailable',
          ...FIELD_QUERY,
        ],
        { forwards: true },
      ),
    },
  },
  byEmail: {
    method: 'get',
    path: '/users-by-email',
    operationId: 'usersByEmail',
    tag: 'users',
    action: 'list',
    query: UsersByEmailQuery,
    summary: 'Find users by exact email',
    description:
      "With ORG_SOURCE=organizations, an org-scoped caller gets only the users who are members of its organization; where that cannot be checked within usergate's bound (more than 10 accounts with the email, or one in more than 100 organizations, its organization not among the first 100), 400 org_search_unavailable.",
    responses: {
      200: json('The users with this email that the caller may list.', z.array(User)),
      ...errorResponses([...AUTHENTICATED, 'no_role', 'action_forbidden', 'org_search_unavailable', ...FIELD_QUERY], { forwards: true }),
    },
  },
  read: {
    method: 'get',
    path: '/users/{id}',
    operationId: 'getUser',
    tag: 'users',
    action: 'read',
    params: UserIdParams,
    fieldErrors: USER_ID_ERRORS,
    query: FieldsQuery,
    summary: 'Read one user',
    responses: {
      200: json('The user, filtered.', User),
      ...errorResponses([...AUTHENTICATED, ...TARGET, ...FIELD_QUERY], { forwards: true }),
    },
  },
  create: {
    method: 'post',
    path: '/users',
    operationId: 'createUser',
    tag: 'users',
    action: 'create',
    query: NoQuery,
    body: CreateUserBody,
    fieldErrors: { body: { user_id: () => errors.invalidUserId('a user_id given on create is a string') } },
    summary: 'Create a user',
    responses: {
      201: json('The created user, filtered.', User),
      ...errorResponses(
        [...AUTHENTICATED, ...WITH_BODY, ...WRITE, 'no_role', 'action_forbidden', 'connection_forbidden', 'invalid_user_id'],
        {
          forwards: true,
        },
      ),
    },
  },
  update: {
    method: 'patch',
    path: '/users/{id}',
    operationId: 'updateUser',
    tag: 'users',
    action: 'update',
    params: UserIdParams,
    fieldErrors: USER_ID_ERRORS,
    query: NoQuery,
    body: UpdateUserBody,
    summary: 'Change a user',
    responses: {
      200: json('The updated user, filtered.', User),
      ...errorResponses([...AUTHENTICATED, ...WITH_BODY, ...WRITE, ...TARGET, 'target_protected'], { forwards: true }),
    },
  },
  delete: {
    method: 'delete',
    path: '/users/{id}',
    operationId: 'deleteUser',
    tag: 'users',
    action: 'delete',
    params: UserIdParams,
    fieldErrors: USER_ID_ERRORS,
    query: NoQuery,
    summary: 'Delete a user',
    responses: {
      204: empty('Deleted.'),
      ...errorResponses([...AUTHENTICATED, ...TARGET, 'self_forbidden', 'target_protected'], { forwards: true }),
    },
  },
  readRoles: {
    method: 'get',
    path: '/users/{id}/roles',
    operationId: 'getUserRoles',
    tag: 'users',
    action: 'read',
    params: UserIdParams,
    fieldErrors: USER_ID_ERRORS,
    query: NoQuery,
    summary: "Read a user's roles",
    description:
      'Needs `read` with the roles readable (`app_metadata.<ROLES_PATH>`, or the pseudo-field `roles` with `ROLES_SOURCE=rbac`). With `ROLES_SOURCE=claim`: 501 `not_configured`.',
    responses: {
      200: json('The names of the roles the user holds.', RolesAnswer),
      ...errorResponses([...AUTHENTICATED, ...TARGET, 'field_not_readable', 'not_configured'], { forwards: true }),
    },
  },
  addRoles: {
    method: 'post',
    path: '/users/{id}/roles',
    operationId: 'addUserRoles',
    tag: 'users',
    action: 'update',
    params: UserIdParams,
    fieldErrors: { ...USER_ID_ERRORS, body: { roles: errors.invalidRoles } },
    query: NoQuery,
    body: RolesBody,
    summary: 'Give a user roles',
    description:
      "Tenant roles, by callers whose acting roles reach every org: `update`, scope and target protection as for a change, each role in the `grant` list. Writes `app_metadata.<ROLES_PATH>`, or Auth0 RBAC role assignments (`ROLES_SOURCE=rbac`). The user's next request sees the change.",
    responses: {
      200: json('The roles the user holds after the change.', RolesAnswer),
      ...ROLE_CHANGE_ERRORS,
    },
  },
  removeRoles: {
    method: 'delete',
    path: '/users/{id}/roles',
    operationId: 'removeUserRoles',
    tag: 'users',
    action: 'update',
    params: UserIdParams,
    fieldErrors: { ...USER_ID_ERRORS, body: { roles: errors.invalidRoles } },
    query: NoQuery,
    body: RolesBody,
    summary: 'Take roles from a user',
    description: 'As adding roles: each role removed must be in the `grant` list. A role the user does not hold is no error.',
    responses: {
      200: json('The roles the user holds after the change.', RolesAnswer),
      ...ROLE_CHANGE_ERRORS,
    },
  },
} satisfies Record<string, RouteContract>;
