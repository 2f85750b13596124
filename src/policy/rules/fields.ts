import { errors } from '../../errors';
import { BODY_ATTRIBUTES } from '../body-keys';
import type { FieldSet } from '../field-set';
import { NEVER_WRITABLE, PROVIDER_OWNED } from '../fixed-fields';
import { owningConnection, providerOwnedRefusal } from '../provider-owned';
import { refuse } from '../refusal';
import { unwritablePaths } from '../write-check';

/** What `*` in a `write` list stands for: the attributes of a user Auth0 lets the Management API change. */
export const WRITABLE_ATTRIBUTES = [
  'app_metadata',
  'blocked',
  'email',
  'email_verified',
  'family_name',
  'given_name',
  'name',
  'nickname',
  'password',
  'phone_number',
  'phone_verified',
  'picture',
  'user_metadata',
  'username',
];

const METADATA = new Set(['app_metadata', 'user_metadata']);

/** Every path the body writes must be writable (never a never-writable one): 403 naming them. */
export function checkWritable(
  body: Record<string, unknown>,
  writable: FieldSet,
  creating: boolean,
  rule: { role?: string; key: string },
): void {
  const refused = unwritablePaths(body, writable, { creating });
  if (refused.length > 0) refuse(errors.fieldsNotWritable(refused), { ...rule, value: refused[0] });
}

/** Attributes the user's identity provider owns are refused before anything is sent. */
export function checkProviderOwned(body: Record<string, unknown>, target: Record<string, unknown>): void {
  const refusal = providerOwnedRefusal(body, target);
  if (refusal) refuse(refusal, { key: 'provider', value: owningConnection(target) });
}

/**
 * The concrete paths a write to this user may name: the writable patterns at the depth a write applies
 * them (a root attribute; one key of a metadata object), `*` expanded, never-writable ones and the
 * attributes the user's identity provider owns left out.
 */
export function writablePaths(writable: FieldSet, target: Record<string, unknown>): string[] {
  const owned = owningConnection(target) === undefined ? [] : PROVIDER_OWNED;
  const patterns = writable.isAll ? WRITABLE_ATTRIBUTES : writable.patterns;
  return patterns.filter((pattern) => {
    const segments = pattern.split('.');
    const root = segments[0]!;
    if (!BODY_ATTRIBUTES.has(root) || NEVER_WRITABLE.includes(root) || owned.includes(root)) return false;
    return segments.length <= (METADATA.has(root) ? 2 : 1);
  });
}
