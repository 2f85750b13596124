import { errors } from '../errors';
import type { FieldSet } from './field-set';
import { USER_ATTRIBUTES } from './fixed-fields';

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
  if (includeFields !== undefined && includeFields !== 'true' && includeFields !== 'false') {
    throw errors.invalidQuery('include_fields must be true or false');
  }
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

/** Applies the selection to a filtered user. */
export function applySelection(user: Record<string, unknown>, selection: FieldSelection | undefined): Record<string, unknown> {
  if (!selection) return user;
  return Object.fromEntries(Object.entries(user).filter(([key]) => selection.names.includes(key) === selection.include));
}
