/**
 * Builds the Lucene query the console sends as `q`: always `field:value` for a chosen field, never a
 * bare term unless the caller may search every field. Pure; no DOM.
 */

/** Characters with a meaning in Lucene's query syntax. */
const SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

function escapeTerm(term: string): string {
  return term.replace(SPECIAL, (c) => `\\${c}`);
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * `field` is a searchable field, or `'*'` for every field (allowed only when `anyField`). A value
 * ending in `*` becomes a prefix search (`email:ada*`); any other value an exact phrase.
 * Returns `undefined` for an empty value (list without a query).
 */
export function buildQuery(field: string, rawValue: string, anyField: boolean): string | undefined {
  const value = rawValue.trim();
  if (!value) return undefined;
  if (field === '*' && !anyField) throw new Error('this caller may not search every field');
  const prefix = /^[^\s*]+\*$/.test(value) ? `${escapeTerm(value.slice(0, -1))}*` : undefined;
  const term = prefix ?? quote(value);
  return field === '*' ? term : `${field}:${term}`;
}
