/** Reads a dot path inside a value; undefined when any step is missing or not an object. */
export function getPath(value: unknown, path: string): unknown {
  if (!path.includes('.')) {
    // One key (the common case): no array for the segments.
    if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, path)) return undefined;
    return (value as Record<string, unknown>)[path];
  }
  let current = value;
  for (const segment of path.split('.')) {
    if (!current || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** An org value as usergate compares it: a non-empty string, or a finite number as its string; else none. */
export function orgValue(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '' && value.length <= 128) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Sets an own data property, even for `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
