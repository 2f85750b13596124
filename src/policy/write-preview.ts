import { getPath } from './user-fields';

/**
 * The value at `app_metadata.<path>` after Auth0 applies the write body to `current` (one-level
 * merge of app_metadata; `{}` or a non-object replaces it whole). `touched` is false when the body
 * cannot change that value.
 */
export function appMetadataAfterWrite(body: Record<string, unknown>, current: unknown, path: string): { touched: boolean; value: unknown } {
  const before = getPath(getPath(current, 'app_metadata'), path);
  if (!Object.hasOwn(body, 'app_metadata')) return { touched: false, value: before };
  const appMetadata = body.app_metadata;
  if (!appMetadata || typeof appMetadata !== 'object' || Array.isArray(appMetadata) || Object.keys(appMetadata).length === 0) {
    return { touched: true, value: undefined };
  }
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (!Object.hasOwn(appMetadata, head)) return { touched: false, value: before };
  const replaced = (appMetadata as Record<string, unknown>)[head];
  const value = rest.length === 0 ? replaced : getPath(replaced, rest.join('.'));
  return { touched: true, value: value ?? undefined };
}
