import type { FieldSet } from './field-set';
import { NEVER_WRITABLE } from './fixed-fields';

const METADATA = new Set(['app_metadata', 'user_metadata']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The paths a write body changes, at the depth Auth0 applies it: a root attribute is replaced whole;
 * `app_metadata` / `user_metadata` are merged one level deep, so each of their keys is replaced whole
 * (a nested object too), and `{}` or a non-object replaces the whole object.
 */
export function writtenPaths(body: Record<string, unknown>): string[] {
  const paths: string[] = [];
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (METADATA.has(key) && isPlainObject(value) && Object.keys(value).length > 0) {
      for (const sub of Object.keys(value)) paths.push(`${key}.${sub}`);
    } else {
      paths.push(key);
    }
  }
  return paths;
}

/** Every written path the caller may not write: outside its writable set, or never writable. */
export function unwritablePaths(body: Record<string, unknown>, writable: FieldSet, options: { creating: boolean }): string[] {
  return writtenPaths(body).filter((path) => {
    const root = path.split('.')[0]!;
    if (NEVER_WRITABLE.includes(root) && !(options.creating && root === 'user_id')) return true;
    return !writable.covers(path);
  });
}
