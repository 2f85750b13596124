import { errors, type HttpError } from '../errors';
import { PROVIDER_OWNED } from './fixed-fields';

/** Connections whose users' profiles Auth0 lets the Management API edit. */
const EDITABLE_PROVIDERS = new Set(['auth0', 'email', 'sms']);

/** The connection that owns the user's profile attributes, when it is a social or enterprise one; undefined for database users. */
export function owningConnection(target: Record<string, unknown>): string | undefined {
  const identities = Array.isArray(target.identities) ? (target.identities as Record<string, unknown>[]) : [];
  const primary = identities[0];
  if (!primary || EDITABLE_PROVIDERS.has(String(primary.provider))) return undefined;
  return String(primary.connection ?? primary.provider);
}

/**
 * The connection a user signs in through when it is not a database connection (social, enterprise,
 * passwordless): Auth0 keeps no password for such a user, so no password-change ticket can be made.
 */
export function passwordlessConnection(target: Record<string, unknown>): string | undefined {
  const identities = Array.isArray(target.identities) ? (target.identities as Record<string, unknown>[]) : [];
  const primary = identities[0];
  if (!primary || primary.provider === 'auth0') return undefined;
  return String(primary.connection ?? primary.provider);
}

/**
 * Social and enterprise users: the identity provider owns these root attributes and Auth0 refuses
 * to change them; the refusal says so, with the workaround, before anything is sent.
 */
export function providerOwnedRefusal(body: Record<string, unknown>, target: Record<string, unknown>): HttpError | undefined {
  const connection = owningConnection(target);
  if (connection === undefined) return undefined;
  const owned = PROVIDER_OWNED.filter((key) => Object.hasOwn(body, key));
  return owned.length > 0 ? errors.attributeNotUpdatable(owned, connection) : undefined;
}
