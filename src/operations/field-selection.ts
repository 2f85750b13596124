import type { Query } from '../management/management-client';
import type { FieldSelection } from '../policy/field-selection';

/**
 * The upstream `fields` for a selection: usergate always needs `user_id` and what the directory reads
 * roles and org from (for the scope check), so it asks for them and removes them afterwards if the
 * caller did not want them.
 */
export function upstreamFields(selection: FieldSelection | undefined, directoryFields: readonly string[]): Query {
  if (!selection) return {};
  const needed = ['user_id', ...directoryFields];
  const names = selection.include ? [...new Set([...selection.names, ...needed])] : selection.names.filter((n) => !needed.includes(n));
  if (names.length === 0) return {};
  return { fields: names.join(','), include_fields: selection.include };
}
