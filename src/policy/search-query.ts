import * as lucene from 'lucene';
import type { AST, Node } from 'lucene';
import { errors } from '../errors';
import type { FieldSet } from './field-set';
import { NORMALIZED_SEARCH_FIELDS } from './fixed-fields';

/** Longest `q` accepted, in characters. */
export const MAX_QUERY_LENGTH = 2000;
const FIELD_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
/** Pseudo-fields of Auth0 search and the field each one reveals. */
const PSEUDO_FIELDS: Record<string, string> = { 'email.domain': 'email' };

function isAst(node: AST | Node): node is AST {
  return 'left' in node;
}

/** The user fields a parsed query searches on; a bare term searches the normalized fields. */
function fieldsOf(node: AST | Node, inherited: string | undefined, out: Set<string>): void {
  if (isAst(node)) {
    const field = node.field && node.field !== '<implicit>' ? node.field : inherited;
    fieldsOf(node.left, field, out);
    if ('right' in node && node.right) fieldsOf(node.right, field, out);
    return;
  }
  let field = node.field === '<implicit>' ? inherited : node.field;
  if (field !== undefined) field = field.replace(/^[+\-!]/, '');
  if (!('term_min' in node) && node.regex) throw errors.invalidSearch('regular expressions are not supported');
  if (field === undefined) {
    for (const f of NORMALIZED_SEARCH_FIELDS) out.add(f);
  } else if (field === '_exists_' && 'term' in node) {
    out.add(lucene.term.unescape(node.term));
  } else {
    out.add(field);
  }
}

function parse(q: string): AST {
  try {
    return lucene.parse(q);
  } catch (err) {
    const where = (err as { location?: { start?: { offset?: number } } }).location?.start?.offset;
    throw errors.invalidSearch(where === undefined ? 'syntax error' : `syntax error at character ${where + 1}`);
  }
}

/**
 * A field may be searched or sorted on when the caller reads all of it and it neither is nor holds an
 * always-hidden field: matching on `identities.access_token` would reveal tokens one guess at a time,
 * even to a caller whose policy reads `*`.
 */
function searchable(field: string, readable: FieldSet, hidden: FieldSet): boolean {
  return readable.covers(field) && !hidden.touches(field);
}

interface Analysis {
  serialised: string;
  fields: readonly string[];
}

/** Analyses of recent queries: admin tools repeat the same searches, and parsing is pure. */
const analyses = new Map<string, Analysis>();
const MAX_ANALYSES = 1000;

/**
 * Parses q, collects the fields it searches on, and re-serialises the tree; the result is re-parsed
 * to prove it is the same query. Depends on q alone, so it is cached (errors are not).
 */
function analyse(q: string): Analysis {
  const cached = analyses.get(q);
  if (cached) return cached;
  if (q.length > MAX_QUERY_LENGTH) throw errors.invalidSearch(`q is longer than ${MAX_QUERY_LENGTH} characters`);
  const ast = parse(q);
  const fields = new Set<string>();
  fieldsOf(ast, undefined, fields);
  const malformed = [...fields].filter((f) => !FIELD_NAME.test(f));
  if (malformed.length > 0) throw errors.invalidSearch(`malformed field name(s): ${malformed.map((f) => JSON.stringify(f.slice(0, 64))).join(', ')}`);
  const serialised = lucene.toString(ast);
  const again = new Set<string>();
  const reparsed = parse(serialised);
  fieldsOf(reparsed, undefined, again);
  if (lucene.toString(reparsed) !== serialised || [...again].some((f) => !fields.has(f))) {
    throw errors.invalidSearch('the query cannot be forwarded unchanged; simplify it');
  }
  const analysis: Analysis = Object.freeze({ serialised, fields: Object.freeze([...fields].sort()) });
  if (analyses.size >= MAX_ANALYSES) analyses.delete(analyses.keys().next().value!);
  analyses.set(q, analysis);
  return analysis;
}

/** The phrase form of a value, with `"` and `\` escaped, so it cannot end the phrase early. */
export function quotePhrase(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

export interface GuardedQuery {
  /** The query to send upstream: re-serialised from the checked tree, narrowed to the org when asked. */
  q: string | undefined;
}

/**
 * Checks a search query against what the caller may read and returns what may be sent upstream.
 * Searching on a field is reading it (the answer tells whether it matched), so every searched field
 * must be readable in full. What is sent is the tree re-serialised, never the raw string, and it is
 * re-parsed to prove it is the same tree; for an org-scoped caller it is wrapped as
 * `(<q>) AND app_metadata.<orgPath>:"<org>"`, which no input can widen.
 */
export function guardSearch(
  q: string | undefined,
  readable: FieldSet,
  hidden: FieldSet,
  narrowTo?: { orgPath: string; org: string },
): GuardedQuery {
  let serialised: string | undefined;
  if (q !== undefined && q.trim() !== '') {
    const analysed = analyse(q);
    const refused = analysed.fields.filter((f) => !searchable(PSEUDO_FIELDS[f] ?? f, readable, hidden));
    if (refused.length > 0) throw errors.fieldsNotReadable('q', refused);
    serialised = analysed.serialised;
  }
  if (narrowTo) {
    const filter = `app_metadata.${narrowTo.orgPath}:${quotePhrase(narrowTo.org)}`;
    serialised = serialised === undefined ? filter : `(${serialised}) AND ${filter}`;
  }
  return { q: serialised };
}

const SORT = /^([A-Za-z0-9_.]{1,128}):(1|-1)$/;

/** `sort` follows the rule of `q`: only on a readable field. */
export function guardSort(sort: string | undefined, readable: FieldSet, hidden: FieldSet): string | undefined {
  if (sort === undefined) return undefined;
  const match = SORT.exec(sort);
  if (!match) throw errors.invalidQuery('sort must be <field>:1 or <field>:-1');
  if (!searchable(match[1]!, readable, hidden)) throw errors.fieldsNotReadable('sort', [match[1]!]);
  return sort;
}
