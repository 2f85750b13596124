import * as lucene from 'lucene';
import type { AST, Node } from 'lucene';
import { errors } from '../errors';
import type { FieldSet } from './field-set';
import { NORMALIZED_SEARCH_FIELDS } from './fixed-fields';
import { BoundedCache } from '../lib/bounded-cache';

/** Longest `q` accepted, in characters. */
export const MAX_QUERY_LENGTH = 2000;
const FIELD_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
/** Pseudo-fields of Auth0 search and the field each one reveals. */
const PSEUDO_FIELDS: Record<string, string> = { 'email.domain': 'email' };

function isAst(node: AST | Node): node is AST {
  return 'left' in node;
}

/** Fields on which Auth0 allows neither wildcards nor ranges (the subtree included). */
const NO_WILDCARD_OR_RANGE = 'user_metadata';
/** Literal characters a suffix or infix wildcard needs at Auth0 (`name:*usa` yes, `name:*sa` no). */
const MIN_WILDCARD_LITERALS = 3;

/** The characters of a term with their escapes resolved, each marked as escaped or not. */
function characters(term: string): { char: string; escaped: boolean }[] {
  const out: { char: string; escaped: boolean }[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\' && i + 1 < term.length) out.push({ char: term[++i]!, escaped: true });
    else out.push({ char: term[i]!, escaped: false });
  }
  return out;
}

/** Auth0's rules for a term: `*` only, a suffix or infix wildcard needs literals, none on user_metadata. */
function checkTerm(term: string, quoted: boolean, field: string | undefined): void {
  if (/(^|[^\\])(\\\\)*\\$/.test(term)) throw errors.invalidSearch('a term ends in a backslash; escape it as \\\\');
  if (quoted) return;
  const chars = characters(term);
  if (chars.some((c) => c.char === '?' && !c.escaped)) throw errors.invalidSearch('Auth0 does not support the ? wildcard; use *');
  const stars = chars.flatMap((c, i) => (c.char === '*' && !c.escaped ? [i] : []));
  if (stars.length === 0) return;
  if (field !== undefined && isUserMetadata(field)) throw errors.invalidSearch('Auth0 allows no wildcard on user_metadata');
  const prefixOnly = stars.length === 1 && stars[0] === chars.length - 1;
  const literals = chars.length - stars.length;
  if (!prefixOnly && literals < MIN_WILDCARD_LITERALS) {
    throw errors.invalidSearch(
      `a wildcard that is not at the end of the term needs at least ${MIN_WILDCARD_LITERALS} other characters at Auth0 (name:*usa, not name:*sa)`,
    );
  }
}

function isUserMetadata(field: string): boolean {
  return field === NO_WILDCARD_OR_RANGE || field.startsWith(`${NO_WILDCARD_OR_RANGE}.`);
}

interface Collected {
  fields: Set<string>;
  /** A term without a field name was found. */
  bare: boolean;
}

/**
 * The user fields a parsed query searches on, checking each term against Auth0's rules on the way;
 * a bare term searches the normalized fields (and more: which ones is undocumented).
 */
function fieldsOf(node: AST | Node, inherited: string | undefined, out: Collected): void {
  if (isAst(node)) {
    const field = node.field && node.field !== '<implicit>' ? node.field : inherited;
    fieldsOf(node.left, field, out);
    if ('right' in node && node.right) fieldsOf(node.right, field, out);
    return;
  }
  let field = node.field === '<implicit>' ? inherited : node.field;
  if (field !== undefined) field = field.replace(/^[+\-!]/, '');
  if ('term_min' in node) {
    if (field !== undefined && isUserMetadata(field)) throw errors.invalidSearch('Auth0 allows no range on user_metadata');
  } else {
    if (node.regex) throw errors.invalidSearch('regular expressions are not supported');
    if (field !== '_exists_') checkTerm(node.term, node.quoted, field);
  }
  if (field === undefined) {
    out.bare = true;
    for (const f of NORMALIZED_SEARCH_FIELDS) out.fields.add(f);
  } else if (field === '_exists_' && 'term' in node) {
    out.fields.add(lucene.term.unescape(node.term));
  } else {
    out.fields.add(field);
  }
}

/**
 * Whitespace the `lucene` package reads as part of a term but Lucene (Auth0's search) splits on:
 * every Unicode space or separator and the other control separators, except the four ASCII ones.
 */
// eslint-disable-next-line no-control-regex -- the information separators U+001C..U+001F are whitespace to Lucene
const FOREIGN_WHITESPACE = /[\s\u001c-\u001f\u0085]/u;
const ASCII_WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/**
 * Refuses, before parsing, whitespace other than ASCII space, tab, CR and LF outside quoted phrases:
 * `name:x\u3000OR\u3000ada*` parses here as one `name` term but Auth0 reads three terms, one of them
 * bare. Inside a quoted phrase (and escaped by a backslash) such a character is content and stays.
 */
export function refuseForeignWhitespace(q: string): void {
  let quoted = false;
  for (let i = 0; i < q.length; i++) {
    const char = q[i]!;
    if (char === '\\') {
      i++;
      continue;
    }
    if (char === '"') quoted = !quoted;
    else if (!quoted && !ASCII_WHITESPACE.has(char) && FOREIGN_WHITESPACE.test(char)) {
      const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      throw errors.invalidSearch(
        `character ${i + 1} is whitespace ${code}, which Auth0 reads as a separator; use an ASCII space, or quote the phrase`,
      );
    }
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
  bare: boolean;
}

/**
 * Analyses of recent queries, one cache per app (createApp makes it): admin tools repeat the same
 * searches, and parsing is pure. Bounded; the oldest make room.
 */
export type SearchAnalyses = BoundedCache<string, Analysis>;

/** Most query analyses an app keeps. */
const MAX_ANALYSES = 1000;

export function createSearchAnalyses(): SearchAnalyses {
  return new BoundedCache({ maxEntries: MAX_ANALYSES });
}

/**
 * Parses q, collects the fields it searches on, and re-serialises the tree; the result is re-parsed
 * to prove it is the same query. Depends on q alone, so it is cached (errors are not).
 */
function analyse(q: string, analyses?: SearchAnalyses): Analysis {
  const cached = analyses?.get(q);
  if (cached) return cached;
  if (q.length > MAX_QUERY_LENGTH) throw errors.invalidSearch(`q is longer than ${MAX_QUERY_LENGTH} characters`);
  refuseForeignWhitespace(q);
  const ast = parse(q);
  const collected: Collected = { fields: new Set(), bare: false };
  fieldsOf(ast, undefined, collected);
  const fields = collected.fields;
  const malformed = [...fields].filter((f) => !FIELD_NAME.test(f));
  if (malformed.length > 0)
    throw errors.invalidSearch(`malformed field name(s): ${malformed.map((f) => JSON.stringify(f.slice(0, 64))).join(', ')}`);
  const serialised = lucene.toString(ast);
  const again: Collected = { fields: new Set(), bare: false };
  const reparsed = parse(serialised);
  fieldsOf(reparsed, undefined, again);
  if (lucene.toString(reparsed) !== serialised || [...again.fields].some((f) => !fields.has(f)) || again.bare !== collected.bare) {
    throw errors.invalidSearch('the query cannot be forwarded unchanged; simplify it');
  }
  const analysis: Analysis = Object.freeze({ serialised, fields: Object.freeze([...fields].sort()), bare: collected.bare });
  analyses?.set(q, analysis);
  return analysis;
}

/** The phrase form of a value, with `"` and `` escaped, so it cannot end the phrase early. */
export function quotePhrase(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

export interface GuardedQuery {
  /** The query to send upstream: re-serialised from the checked tree, narrowed to the org when asked. */
  q: string | undefined;
}

interface OrgFilter {
  orgPath: string;
  org: string;
}

/**
 * True when `sent`, parsed again, is exactly the checked query (`checked`) plus the org filter:
 * `(<checked>) AND app_metadata.<orgPath>:"<org>"`, or the filter alone. Whatever the input did to
 * the string (an escape that swallowed a parenthesis, say), what goes upstream is what was checked.
 */
function isCheckedPlusFilter(sent: string, checked: string | undefined, filter: OrgFilter | undefined): boolean {
  let tree: AST;
  try {
    tree = lucene.parse(sent);
  } catch {
    return false;
  }
  if (lucene.toString(tree) !== sent) return false;
  if (!filter) return sent === checked;
  const isFilter = (node: AST | Node | undefined): boolean =>
    node !== undefined &&
    !isAst(node) &&
    !('term_min' in node) &&
    node.field === `app_metadata.${filter.orgPath}` &&
    node.quoted &&
    lucene.term.unescape(node.term) === filter.org;
  if (checked === undefined) return isFilter(tree.left) && !('right' in tree && tree.right) && !('start' in tree && tree.start);
  if (!('right' in tree) || tree.operator !== 'AND' || !isFilter(tree.right) || ('start' in tree && tree.start)) return false;
  const left = tree.left;
  if (!isAst(left) || left.parenthesized !== true) return false;
  const { parenthesized: _group, ...inner } = left;
  return sameTree(inner, lucene.parse(checked));
}

/** Two parsed queries are the same tree, wherever their parts stood in the string. */
function sameTree(a: unknown, b: unknown): boolean {
  const withoutLocations = (_key: string, value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).filter(([k]) => !k.endsWith('Location')))
      : value;
  return JSON.stringify(a, withoutLocations) === JSON.stringify(b, withoutLocations);
}

/**
 * Checks a search query against what the caller may read and Auth0's search rules, and returns what
 * may be sent upstream. Searching on a field is reading it (the answer tells whether it matched), so
 * every searched field must be readable in full; a bare term may match fields nobody documented, so
 * only a caller who reads every field may use one. What is sent is the tree re-serialised, never the
 * raw string; for an org-scoped caller it is wrapped as `(<q>) AND app_metadata.<orgPath>:"<org>"`,
 * which no input can widen, and the final string is parsed again to prove it is that and nothing else.
 */
export function guardSearch(
  q: string | undefined,
  readable: FieldSet,
  hidden: FieldSet,
  narrowTo?: OrgFilter,
  analyses?: SearchAnalyses,
): GuardedQuery {
  let checked: string | undefined;
  if (q !== undefined && q.trim() !== '') {
    const analysed = analyse(q, analyses);
    if (analysed.bare && !readable.isAll) throw errors.bareSearchTerm();
    const refused = analysed.fields.filter((f) => !searchable(PSEUDO_FIELDS[f] ?? f, readable, hidden));
    if (refused.length > 0) throw errors.fieldsNotReadable('q', refused);
    checked = analysed.serialised;
  }
  let sent = checked;
  if (narrowTo) {
    const filter = `app_metadata.${narrowTo.orgPath}:${quotePhrase(narrowTo.org)}`;
    sent = checked === undefined ? filter : `(${checked}) AND ${filter}`;
  }
  if (sent !== undefined && !isCheckedPlusFilter(sent, checked, narrowTo)) {
    throw errors.invalidSearch('the query cannot be forwarded unchanged; simplify it');
  }
  return { q: sent };
}

const SORT = /^([A-Za-z0-9_.]{1,128}):(1|-1)$/;

/** `sort` follows the rule of `q`: only on a readable field; never on metadata (Auth0 does not sort by it). */
export function guardSort(sort: string | undefined, readable: FieldSet, hidden: FieldSet): string | undefined {
  if (sort === undefined) return undefined;
  const match = SORT.exec(sort);
  if (!match) throw errors.invalidQuery('sort must be <field>:1 or <field>:-1');
  const field = match[1]!;
  if (/^(app_metadata|user_metadata)(\.|$)/.test(field)) throw errors.invalidQuery('Auth0 cannot sort by app_metadata or user_metadata');
  if (!searchable(field, readable, hidden)) throw errors.fieldsNotReadable('sort', [field]);
  return sort;
}
