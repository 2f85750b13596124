import * as lucene from 'lucene';
import type { AST, Node, NodeRangedTerm, NodeTerm } from 'lucene';
import type { StoredUser } from './user-store';
import { matchPieces } from './wildcard';

/**
 * Fields a term without a field name is matched against. Auth0 does not document which fields a bare
 * term matches; these normalized fields are the dev tenant's guess.
 */
export const IMPLICIT_FIELDS = ['email', 'name', 'given_name', 'family_name', 'nickname', 'username', 'user_id'];

/** Auth0 docs: only these match case-insensitively; every other field, metadata included, is case-sensitive. */
export const CASE_INSENSITIVE_FIELDS = new Set(['email', 'name', 'given_name', 'family_name', 'nickname']);

/** Auth0 docs: a suffix or infix wildcard needs at least 3 literal characters (`name:*usa`, not `name:*sa`). */
const MIN_WILDCARD_LITERALS = 3;

export type UserPredicate = (user: StoredUser) => boolean;

/** A query Auth0 parses but refuses (an unsupported wildcard, a range on user_metadata, ...). */
export class SearchRefused extends Error {
  override name = 'SearchRefused';
}

/** Parses a Lucene query (search_engine v3 syntax) into a predicate; throws on a syntax error or a refused construct. */
export function compileQuery(q: string): UserPredicate {
  const ast = lucene.parse(q);
  check(ast, undefined);
  return (user) => evalAst(ast, user, undefined);
}

function isAst(node: AST | Node): node is AST {
  return 'left' in node;
}

function fieldOf(node: Node, inherited: string | undefined): string | undefined {
  const field = node.field === '<implicit>' ? inherited : node.field;
  return field?.replace(/^[+\-!]/, '');
}

function isUserMetadata(field: string | undefined): boolean {
  return field === 'user_metadata' || (field?.startsWith('user_metadata.') ?? false);
}

/** The term split at its unescaped `*` into literal pieces (escapes resolved); `?` unescaped is reported. */
function piecesOf(term: string): { pieces: string[]; question: boolean } {
  const pieces: string[] = [];
  let piece = '';
  let question = false;
  for (let i = 0; i < term.length; i++) {
    const c = term[i]!;
    if (c === '\\' && i + 1 < term.length) piece += term[++i];
    else if (c === '*') {
      pieces.push(piece);
      piece = '';
    } else {
      if (c === '?') question = true;
      piece += c;
    }
  }
  pieces.push(piece);
  return { pieces, question };
}

/** Refuses what Auth0 refuses, before any user is looked at. */
function check(node: AST | Node, inherited: string | undefined): void {
  if (isAst(node)) {
    const field = node.field && node.field !== '<implicit>' ? node.field : inherited;
    check(node.left, field);
    if ('right' in node && node.right) check(node.right, field);
    return;
  }
  const field = fieldOf(node, inherited);
  if ('term_min' in node) {
    if (isUserMetadata(field)) throw new SearchRefused('Ranges are not supported on user_metadata fields');
    return;
  }
  if (node.regex) throw new SearchRefused('Regular expressions are not supported');
  if (node.quoted || field === '_exists_') return;
  const { pieces, question } = piecesOf(node.term);
  if (question) throw new SearchRefused('The ? wildcard is not supported; use *');
  if (pieces.length === 1) return;
  if (isUserMetadata(field)) throw new SearchRefused('Wildcards are not supported on user_metadata fields');
  const prefixOnly = pieces.length === 2 && pieces[1] === '';
  const literals = pieces.join('').length;
  if (!prefixOnly && literals < MIN_WILDCARD_LITERALS) {
    throw new SearchRefused(`Wildcards that are not at the end of a term need at least ${MIN_WILDCARD_LITERALS} characters`);
  }
}

function evalAst(node: AST | Node, user: StoredUser, inherited: string | undefined): boolean {
  if (!isAst(node)) return evalNode(node, user, inherited);
  const field = node.field && node.field !== '<implicit>' ? node.field : inherited;
  const left = evalAst(node.left, user, field);
  if ('right' in node && node.right) {
    const right = evalAst(node.right, user, field);
    switch (node.operator) {
      case 'AND':
        return left && right;
      case 'AND NOT':
        return left && !right;
      case 'OR NOT':
        return left || !right;
      default: // OR and the implicit operator (Lucene's default is OR)
        return left || right;
    }
  }
  return 'start' in node && node.start === 'NOT' ? !left : left;
}

function evalNode(node: Node, user: StoredUser, inherited: string | undefined): boolean {
  const raw = node.field === '<implicit>' ? inherited : node.field;
  const negate = raw?.startsWith('-') === true || raw?.startsWith('!') === true;
  const result = matches(node, user, fieldOf(node, inherited));
  return negate ? !result : result;
}

function fold(field: string, value: string): string {
  return CASE_INSENSITIVE_FIELDS.has(field) ? value.toLowerCase() : value;
}

function matches(node: Node, user: StoredUser, field: string | undefined): boolean {
  const fields = field ? [field] : IMPLICIT_FIELDS;
  if ('term_min' in node) return fields.some((f) => valuesAt(user, f).some((v) => inRange(fold(f, String(v)), node, f)));
  const term = node as NodeTerm;
  if (field === '_exists_') return valuesAt(user, lucene.term.unescape(term.term), false).some(isIndexed);
  return fields.some((f) => {
    const test = termTester(term, f);
    return valuesAt(user, f).some((v) => test(fold(f, String(v))));
  });
}

/** Auth0 does not index empty arrays, empty objects or null in metadata: `_exists_` does not see them. */
function isIndexed(value: unknown): boolean {
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.keys(value).length > 0;
  return true;
}

function termTester(term: NodeTerm, field: string): (value: string) => boolean {
  if (term.quoted) {
    const text = fold(field, lucene.term.unescape(term.term));
    return (v) => v === text;
  }
  const { pieces } = piecesOf(term.term);
  const folded = pieces.map((p) => fold(field, p));
  return (v) => matchPieces(folded, v);
}

function inRange(v: string, node: NodeRangedTerm, field: string): boolean {
  const cmp = (a: string, b: string): number => {
    const na = Number(a);
    const nb = Number(b);
    if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const lowInclusive = node.inclusive === 'both' || node.inclusive === 'left';
  const highInclusive = node.inclusive === 'both' || node.inclusive === 'right';
  if (node.term_min !== '*') {
    const c = cmp(v, fold(field, node.term_min));
    if (c < 0 || (c === 0 && !lowInclusive)) return false;
  }
  if (node.term_max !== '*') {
    const c = cmp(v, fold(field, node.term_max));
    if (c > 0 || (c === 0 && !highInclusive)) return false;
  }
  return true;
}

/** Every value at a dot path; arrays (of objects or of scalars) are searched element-wise. */
export function valuesAt(user: StoredUser, path: string, scalarsOnly = true): unknown[] {
  if (path === 'email.domain') {
    const email = typeof user.email === 'string' ? user.email : '';
    return email.includes('@') ? [email.slice(email.lastIndexOf('@') + 1)] : [];
  }
  let current: unknown[] = [user];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value && typeof value === 'object' && Object.hasOwn(value, segment)) {
        const child = (value as Record<string, unknown>)[segment];
        if (Array.isArray(child)) next.push(...child);
        else next.push(child);
      }
    }
    current = next;
  }
  return current.filter((v) => v !== null && v !== undefined && (!scalarsOnly || typeof v !== 'object'));
}
