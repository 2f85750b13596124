/**
 * Matching of Auth0 search wildcards (`*` only) in time linear in the pattern and the value: the
 * pattern is split at `*` into literal pieces; the first must start the value, the last must end
 * it, and each piece between is found left-most after the previous one with Knuth-Morris-Pratt.
 * Greedy left-most placement is optimal for `*`-only patterns, so there is no backtracking, and a
 * query cannot stall the tenant (a backtracking RegExp could, for seconds).
 */
export interface MatchCounter {
  /** Character comparisons made so far, for tests that prove the bound. */
  steps: number;
}

function failureTable(piece: string, counter: MatchCounter): number[] {
  const table = new Array<number>(piece.length).fill(0);
  let k = 0;
  for (let i = 1; i < piece.length; i++) {
    while (k > 0 && piece[i] !== piece[k]) {
      k = table[k - 1]!;
      counter.steps++;
    }
    counter.steps++;
    if (piece[i] === piece[k]) k++;
    table[i] = k;
  }
  return table;
}

/** The first index of `piece` in `text` within [from, end), or -1, in O(end - from + |piece|). */
function indexOf(text: string, piece: string, from: number, end: number, counter: MatchCounter): number {
  if (piece.length === 0) return from;
  const table = failureTable(piece, counter);
  let k = 0;
  for (let i = from; i < end; i++) {
    while (k > 0 && text[i] !== piece[k]) {
      k = table[k - 1]!;
      counter.steps++;
    }
    counter.steps++;
    if (text[i] === piece[k]) k++;
    if (k === piece.length) return i - piece.length + 1;
  }
  return -1;
}

/** True when `value` matches `pattern`, where `*` stands for any run of characters (both already case-folded as needed). */
export function wildcardMatch(pattern: string, value: string, counter: MatchCounter = { steps: 0 }): boolean {
  return matchPieces(pattern.split('*'), value, counter);
}

/** The same, for a pattern given as its literal pieces (the text between wildcards, escapes resolved). */
export function matchPieces(pieces: readonly string[], value: string, counter: MatchCounter = { steps: 0 }): boolean {
  if (pieces.length === 1) {
    counter.steps += Math.min(pieces[0]!.length, value.length);
    return pieces[0] === value;
  }
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > value.length) return false;
  counter.steps += first.length + last.length;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = indexOf(value, piece, at, end, counter);
    if (found < 0) return false;
    at = found + piece.length;
  }
  return true;
}
