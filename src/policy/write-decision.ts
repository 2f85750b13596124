import { errors, HttpError } from '../errors';
import { misleadingKey } from './body-keys';
import { setOwn, type FieldSet } from './field-set';
import type { Permissions } from './permissions';
import type { RolePolicy } from './policy';
import { providerOwnedRefusal } from './provider-owned';
import { roleChange } from './role-change';
import { getPath, orgOf } from './user-fields';
import { unwritablePaths } from './write-check';
import { appMetadataAfterWrite } from './write-preview';

/** Which write: a new user (POST /users), another user (PATCH /users/:id), or oneself (PATCH /me). */
export type WriteMode = 'create' | 'update' | 'self';

/**
 * The answer to "may this caller write this body to this target". When allowed: the body to send
 * upstream (a create of an org-scoped caller has its org forced in), and whether the write can change
 * what the target is as a caller (its roles, org or `blocked`), so that its cached caller entry must go.
 */
export type WriteVerdict =
  { allowed: true; body: Record<string, unknown>; rebindsTarget: boolean } | { allowed: false; refusal: HttpError };

const ACTION = { create: 'create', update: 'update' } as const;

/**
 * What can be decided before the target is read, so that no upstream call is spent on a refusal: keys
 * that are not what they seem, a caller without the action, an empty body, and fields that no role of
 * the caller may write for this mode at all.
 */
export function screenWrite(p: Permissions, mode: WriteMode, body: Record<string, unknown>): HttpError | undefined {
  const misleading = misleadingKey(body);
  if (misleading) return misleading;
  if (mode !== 'self') {
    const refused = p.actionRefusal(ACTION[mode]);
    if (refused) return refused;
  }
  if (Object.keys(body).length === 0) return errors.invalidBody('The body names no field to change.');
  const writable = mode === 'self' ? p.policy.self.write : p.writableBy(p.rolesWithAction(ACTION[mode]));
  return unwritable(body, writable, mode === 'create');
}

/**
 * The one write decision: paths, grants, provider-owned attributes, target protection and org
 * boundaries, in that order of concern, for a body and the target as stored now (`{}` on create).
 * Nothing here calls anyone; the operation acts on the verdict.
 */
export function decideWrite(p: Permissions, mode: WriteMode, body: Record<string, unknown>, target: Record<string, unknown>): WriteVerdict {
  try {
    const early = screenWrite(p, mode, body);
    if (early) throw early;
    if (mode === 'create') return decideCreate(p, body);
    if (mode === 'update') return decideUpdate(p, body, target);
    return decideSelf(p, body, target);
  } catch (err) {
    if (err instanceof HttpError) return { allowed: false, refusal: err };
    throw err;
  }
}

function unwritable(body: Record<string, unknown>, writable: FieldSet, creating: boolean): HttpError | undefined {
  const refused = unwritablePaths(body, writable, { creating });
  return refused.length > 0 ? errors.fieldsNotWritable(refused) : undefined;
}

function refuseIf(refusal: HttpError | undefined): void {
  if (refusal) throw refusal;
}

/** Roles granted or revoked by the body must all be grantable by the acting roles. */
function checkGrants(p: Permissions, body: Record<string, unknown>, target: unknown, acting: RolePolicy[]): void {
  const change = roleChange(body, target, p.policy.rolesPath);
  if (!change) return;
  const refused = [...change.added, ...change.removed].filter((role) => !p.canGrant(acting, role));
  if (refused.length > 0) throw errors.roleNotGrantable(refused);
}

/** Whether the write can change the target as a caller: its roles, its org, or `blocked`. */
function rebinds(p: Permissions, body: Record<string, unknown>, target: unknown): boolean {
  return (
    Object.hasOwn(body, 'blocked') ||
    appMetadataAfterWrite(body, target, p.policy.rolesPath).touched ||
    appMetadataAfterWrite(body, target, p.policy.orgPath).touched
  );
}

/** Whether the write moves the target to another org (or out of any). */
function movesOrg(p: Permissions, body: Record<string, unknown>, target: unknown): boolean {
  const org = appMetadataAfterWrite(body, target, p.policy.orgPath);
  return org.touched && org.value !== orgOf(target, p.policy.orgPath);
}

/** A copy of the body with `app_metadata.<orgPath>` set to the org. */
function withOrg(body: Record<string, unknown>, orgPath: string, org: string): Record<string, unknown> {
  const copy = structuredClone(body);
  const appMetadata = (copy.app_metadata && typeof copy.app_metadata === 'object' ? copy.app_metadata : {}) as Record<string, unknown>;
  const segments = orgPath.split('.');
  let node = appMetadata;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    const child = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    setOwn(node, segment, child);
    node = child;
  }
  setOwn(node, segments.at(-1)!, org);
  copy.app_metadata = appMetadata;
  return copy;
}

/** POST /users: org forced for org-scoped creators, every field writable, connection allowed, roles grantable. */
function decideCreate(p: Permissions, body: Record<string, unknown>): WriteVerdict {
  let outgoing = body;
  if (p.unscopedRolesFor('create').length === 0) {
    const orgPath = p.policy.orgPath;
    const asked = getPath(getPath(body, 'app_metadata'), orgPath);
    if (!p.org || (asked !== undefined && asked !== p.org)) throw errors.orgForbidden();
    outgoing = withOrg(body, orgPath, p.org);
  }
  const acting = p.rolesFor('create', outgoing);
  if (acting.length === 0) throw errors.orgForbidden();
  refuseIf(unwritable(body, p.writableBy(acting), true));
  if (typeof body.connection !== 'string' || body.connection === '') throw errors.invalidBody('connection is required.');
  const connection = body.connection;
  if (!acting.some((r) => r.connections.has(connection))) throw errors.connectionForbidden(connection.slice(0, 128));
  checkGrants(p, body, {}, acting);
  // A user id given on create may have been seen (and cached as unknown) before.
  return { allowed: true, body: outgoing, rebindsTarget: Object.hasOwn(body, 'user_id') };
}

/**
 * PATCH /users/:id: the roles in scope for the target act; the target must hold no role they cannot
 * grant; every path writable, provider-owned attributes left alone, role changes grantable, and only
 * a role that reaches every org may move a user to another org.
 */
function decideUpdate(p: Permissions, body: Record<string, unknown>, target: Record<string, unknown>): WriteVerdict {
  const acting = p.rolesFor('update', target);
  if (acting.length === 0) throw p.outOfScope('update', target);
  const above = p.protectedRolesOf(target, acting);
  if (above.length > 0) throw errors.targetProtected(above);
  refuseIf(unwritable(body, p.writableBy(acting), false));
  refuseIf(providerOwnedRefusal(body, target));
  checkGrants(p, body, target, acting);
  if (movesOrg(p, body, target) && !acting.some((r) => r.scope === 'all')) throw errors.orgForbidden();
  return { allowed: true, body, rebindsTarget: rebinds(p, body, target) };
}

/** PATCH /me: only `self.write` fields, and never one's own roles or org, whatever `self.write` says. */
function decideSelf(p: Permissions, body: Record<string, unknown>, me: Record<string, unknown>): WriteVerdict {
  if (roleChange(body, me, p.policy.rolesPath)) throw errors.selfForbidden('change the roles of');
  if (movesOrg(p, body, me)) throw errors.selfForbidden('change the org of');
  refuseIf(providerOwnedRefusal(body, me));
  return { allowed: true, body, rebindsTarget: rebinds(p, body, me) };
}
