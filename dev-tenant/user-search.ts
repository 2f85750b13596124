import * as lucene from 'lucene';
import type { AST, Node, NodeRangedTerm, NodeTerm } from 'lucene';
import type { StoredUser } from './user-store';

/** Fields a term without a field name is matched against (Auth0's normalized user fields). */
export const IMPLICIT_FIELDS = ['email', 'name', 'given_name', 'family_name', 'nickname', 'username', 'phone_number', 'user_id'];

export type UserPredicate = (user: StoredUser) => boolean;

/** Parses a Lucene query (search_engine v3 syntax) into a predicate; throws on a syntax error. */
export function compileQuery(q: string): UserPredicate {
  const ast = lucene.parse(q);
  return (user) => evalAst(ast, user, undefined);
}

function isAst(node: AST | Node): node is AST {
  return 'left' in node;
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
  let field = node.field === '<implicit>' ? inherited : node.field;
  let negate = false;
  if (field?.startsWith('-') || field?.startsWith('!')) {
    negate = true;
    field = field.slice(1);
  } else if (field?.startsWith('+')) field = field.slice(1);
  const result = matches(node, user, field);
  return negate ? !result : result;
}

function matches(node: Node, user: StoredUser, field: string | undefined): boolean {
  const fields = field ? [field] : IMPLICIT_FIELDS;
  if ('term_min' in node) return fields.some((f) => valuesAt(user, f).some((v) => inRange(v, node)));
  const term = node as NodeTerm;
  if (field === '_exists_') return valuesAt(user, lucene.term.unescape(term.term), false).length > 0;
  const test = termTester(term);
  return fields.some((f) => valuesAt(user, f).some(test));
}

function termTester(term: NodeTerm): (value: unknown) => boolean {
  const text = lucene.term.unescape(term.term).toLowerCase();
  if (term.regex) {
    const re = new RegExp(`^(?:${term.term.slice(0, 200)})$`, 'i');
    return (v) => re.test(String(v));
  }
  if (!term.quoted && /[*?]/.test(text)) {
    const re = new RegExp(
      '^' + text.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$',
      'i',
    );
    return (v) => re.test(String(v));
  }
  return (v) => String(v).toLowerCase() === text;
}

function inRange(value: unknown, node: NodeRangedTerm): boolean {
  const v = String(value);
  const cmp = (a: string, b: string): number => {
    const na = Number(a);
    const nb = Number(b);
    if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const lowInclusive = node.inclusive === 'both' || node.inclusive === 'left';
  const highInclusive = node.inclusive === 'both' || node.inclusive === 'right';
  if (node.term_min !== '*') {
    const c = cmp(v, node.term_min);
    if (c < 0 || (c === 0 && !lowInclusive)) return false;
  }
  if (node.term_max !== '*') {
    const c = cmp(v, node.term_max);
    if (c > 0 || (c === 0 && !highInclusive)) return false;
  }
  return true;
}

/** Every scalar value at a dot path; arrays (of objects or of scalars) are searched element-wise. */
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
