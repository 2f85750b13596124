/**
 * Field patterns of GET /me/permissions, as the policy defines them: a dot path covers its subtree
 * (`user_metadata` and `user_metadata.*` alike), `*` covers every field. Pure; no DOM.
 */

function normalise(pattern: string): string {
  return pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
}

/** Whether the patterns cover the whole field (the field itself or an ancestor of it is listed). */
export function covers(patterns: readonly string[], field: string): boolean {
  return patterns.some((raw) => {
    const p = normalise(raw);
    return p === '*' || p === field || field.startsWith(`${p}.`);
  });
}

/** Whether the patterns cover part of the field (a descendant is listed), e.g. `app_metadata` when `app_metadata.org` is. */
export function touches(patterns: readonly string[], field: string): boolean {
  return covers(patterns, field) || patterns.some((raw) => normalise(raw).startsWith(`${field}.`));
}

/** Auth0 user attributes the console can search on (Auth0's user search v3); offered when readable. */
export const SEARCHABLE_FIELDS = [
  'email',
  'name',
  'nickname',
  'given_name',
  'family_name',
  'user_id',
  'blocked',
  'email_verified',
  'app_metadata.org',
  'app_metadata.roles',
  'identities.connection',
  'identities.provider',
  'logins_count',
] as const;

/** Root attributes the edit form offers, each when writable. Booleans get a checkbox. */
export const EDITABLE_FIELDS: { field: string; label: string; kind: 'text' | 'email' | 'boolean' | 'json' }[] = [
  { field: 'name', label: 'Name', kind: 'text' },
  { field: 'nickname', label: 'Nickname', kind: 'text' },
  { field: 'given_name', label: 'Given name', kind: 'text' },
  { field: 'family_name', label: 'Family name', kind: 'text' },
  { field: 'email', label: 'Email', kind: 'email' },
  { field: 'email_verified', label: 'Email verified', kind: 'boolean' },
  { field: 'user_metadata', label: 'User metadata (JSON)', kind: 'json' },
];

/** The fields a caller may search on; `*` readers may also search every field at once (a bare term). */
export function searchableFields(read: readonly string[]): { fields: string[]; anyField: boolean } {
  return { fields: SEARCHABLE_FIELDS.filter((f) => covers(read, f)), anyField: read.includes('*') };
}
