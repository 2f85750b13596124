import { errors } from '../errors';

/** Auth0's organization ids: `org_` and letters or digits (16 at Auth0; up to 64 accepted). */
export const ORG_ID = /^org_[A-Za-z0-9]{1,64}$/;
/** Auth0's invitation ids: `uinv_` and letters or digits. */
export const INVITATION_ID = /^uinv_[A-Za-z0-9]{1,64}$/;

/** Whether a value is a well-formed organization id (a token's `org_id` claim is checked with this too). */
export function isOrgId(id: unknown): id is string {
  return typeof id === 'string' && ORG_ID.test(id);
}

/** Returns the id when it is a well-formed organization id; throws 400 invalid_org_id otherwise. */
export function checkOrgId(id: unknown): string {
  if (!isOrgId(id)) throw errors.invalidOrgId();
  return id;
}

/** Returns the id when it is a well-formed invitation id; throws 400 invalid_invitation_id otherwise. */
export function checkInvitationId(id: unknown): string {
  if (typeof id !== 'string' || !INVITATION_ID.test(id)) throw errors.invalidInvitationId();
  return id;
}
