import { errors } from '../errors';
import type { FieldSet } from '../policy/field-set';
import { USER_ATTRIBUTES } from '../policy/fixed-fields';
import type { Query } from '../management/management-client';

/** The `fields` / `include_fields` a caller asked for, checked against what it may read. */
export interface FieldSelection {
  names: string[];
  include: boolean;
}

export function parseFieldSelection(
  fields: string | undefined,
  includeFields: string | undefined,
  readable: FieldSet,
  hidden: FieldSet,
): FieldSelection | undefined {
  if (fields === undefined || fields === '') return undefined;
  const names = [...new Set(fields.split(',').map((f) => f.trim()))];
  const include = includeFields !== 'false';
  // Asking for a field one may not read is refused as such (403), before its spelling is judged.
  const unreadable = names.filter((n) => hidden.covers(n) || (include && !readable.touches(n)));
  if (unreadable.length > 0)
    throw errors.fieldsNotReadable(
      'fields',
      unreadable.map((n) => n.slice(0, 64)),
    );
  const unknown = names.filter((n) => !USER_ATTRIBUTES.includes(n));
  if (unknown.length > 0)
    throw errors.invalidQuery(`fields names unknown user attribute(s): ${unknown.map((n) => n.slice(0, 64)).join(', ')}`);
  return { names, include };
}

/**
 * The upstream `fields` for a selection: usergate always needs `user_id` and `app_metadata` (for the
 * scope check), so it asks for them and removes them afterwards if the caller did not want them.
 */
export function upstreamFields(selection: FieldSelection | undefined): Query {
  if (!selection) return {};
  const needed = ['user_id', 'app_metadata'];
  const names = selection.include ? [...new Set([...selection.names, ...needed])] : selection.names.filter((n) => !needed.includes(n));
  if (names.length === 0) return {};
  return { fields: names.join(','), include_fields: selection.include };
}

/** Applies the selection to a filtered user. */
export function applySelection(user: Record<string, unknown>, selection: FieldSelection | undefined): Record<string, unknown> {
  if (!selection) return user;
  return Object.fromEntries(Object.entries(user).filter(([key]) => selection.names.includes(key) === selection.include));
}
