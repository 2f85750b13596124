/**
 * A set of field patterns (docs/policy.md): a dot path names a field and its whole subtree; on arrays of
 * objects the rest of the path applies to each element; `*` is every field. Compiled once into a
 * trie, then used to test paths and to project objects.
 */
export const FIELD_PATTERN = /^(\*|[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?)$/;

interface Node {
  /** The path ending here is in the set: its whole subtree is. */
  whole: boolean;
  children: Map<string, Node>;
}

const newNode = (): Node => ({ whole: false, children: new Map() });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets a property as an own data property, even for a key such as `__proto__` (the one inherited
 * setter of a plain object; every other key is a plain assignment, several times cheaper).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export class FieldSet {
  private readonly root = newNode();
  /** The patterns, as written, for reports such as /me/permissions. */
  readonly patterns: readonly string[];

  constructor(patterns: Iterable<string>) {
    // `user_metadata.*` is read as `user_metadata`: a path already names its whole subtree.
    const list = [...new Set([...patterns].map((p) => (p.endsWith('.*') ? p.slice(0, -2) : p)))];
    for (const pattern of list) {
      if (!FIELD_PATTERN.test(pattern)) throw new TypeError(`malformed field pattern "${pattern}"`);
      if (pattern === '*') {
        this.root.whole = true;
        continue;
      }
      let node = this.root;
      for (const segment of pattern.split('.')) {
        let child = node.children.get(segment);
        if (!child) node.children.set(segment, (child = newNode()));
        node = child;
      }
      node.whole = true;
    }
    this.patterns = Object.freeze(list.sort());
  }

  static union(sets: FieldSet[]): FieldSet {
    return new FieldSet(sets.flatMap((s) => s.patterns));
  }

  get isEmpty(): boolean {
    return !this.root.whole && this.root.children.size === 0;
  }

  get isAll(): boolean {
    return this.root.whole;
  }

  /** True when the path, or one of its ancestors, is in the set: the whole value at the path is covered. */
  covers(path: string): boolean {
    return this.reach(path) === 'whole';
  }

  /** True when some part of the value at the path is in the set (the path is covered or leads to a pattern). */
  touches(path: string): boolean {
    return this.reach(path) !== 'none';
  }

  /** How much of the value at the path the set names: all of it, some of it (a deeper pattern), or none. */
  private reach(path: string): 'whole' | 'part' | 'none' {
    let node = this.root;
    if (node.whole) return 'whole';
    for (const segment of path.split('.')) {
      const child = node.children.get(segment);
      if (!child) return 'none';
      if (child.whole) return 'whole';
      node = child;
    }
    return 'part';
  }

  /** A new value holding only what the set names; the input is not changed. */
  project(value: unknown): unknown {
    return projectNode(value, this.root);
  }

  /** Removes, in place, every path the set names (used with the always-hidden set). */
  strip(value: unknown): void {
    stripNode(value, this.root);
  }
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, copy(value[key]));
    return out;
  }
  return value;
}

function projectNode(value: unknown, node: Node): unknown {
  if (node.whole) return copy(value);
  if (Array.isArray(value)) {
    return value.filter((item) => isPlainObject(item)).map((item) => projectNode(item, node));
  }
  if (!isPlainObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, child] of node.children) {
    if (!Object.hasOwn(value, key)) continue;
    const projected = projectNode(value[key], child);
    if (projected !== undefined) setOwn(out, key, projected);
  }
  return out;
}

function stripNode(value: unknown, node: Node): void {
  if (Array.isArray(value)) {
    for (const item of value) stripNode(item, node);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, child] of node.children) {
    if (!Object.hasOwn(value, key)) continue;
    if (child.whole) delete value[key];
    else stripNode(value[key], child);
  }
}
