import { errors } from '../errors';
import type { FieldSet } from '../policy/field-set';
import { PROVIDER_OWNED } from '../policy/fixed-fields';
import type { RolePolicy } from '../policy/policy';
import { roleChange } from '../policy/role-change';
import { unwritablePaths } from '../policy/write-check';
import type { OperationContext } from './context';

/** Connections whose users' profiles Auth0 lets the Management API edit. */
const EDITABLE_PROVIDERS = new Set(['auth0', 'email', 'sms']);

/** 403 naming every path of the body the caller may not write. */
export function checkWritable(body: Record<string, unknown>, writable: FieldSet, creating: boolean): void {
  const refused = unwritablePaths(body, writable, { creating });
  if (refused.length > 0) throw errors.fieldsNotWritable(refused);
}

/** Roles granted or revoked by the body must all be grantable by the acting roles. */
export function checkGrants(ctx: OperationContext, body: Record<string, unknown>, target: unknown, acting: RolePolicy[]): string[] {
  const change = roleChange(body, target, ctx.permissions.policy.rolesPath);
  if (!change) return [];
  const changed = [...change.added, ...change.removed];
  const refused = changed.filter((role) => !ctx.permissions.canGrant(acting, role));
  if (refused.length > 0) throw errors.roleNotGrantable(refused);
  return changed;
}

/**
 * Social and enterprise users: the identity provider owns these root attributes and Auth0 refuses
 * to change them; say so, with the workaround, before anything is sent.
 */
export function checkProviderOwned(body: Record<string, unknown>, target: Record<string, unknown>): void {
  const identities = Array.isArray(target.identities) ? (target.identities as Record<string, unknown>[]) : [];
  const primary = identities[0];
  if (!primary || EDITABLE_PROVIDERS.has(String(primary.provider))) return;
  const owned = PROVIDER_OWNED.filter((key) => Object.hasOwn(body, key));
  if (owned.length > 0) throw errors.attributeNotUpdatable(owned, String(primary.connection ?? primary.provider));
}

export function requireNonEmpty(body: Record<string, unknown>): void {
  if (Object.keys(body).length === 0) throw errors.invalidBody('The body names no field to change.');
}
