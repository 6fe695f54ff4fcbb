// `*` (any run of characters, `:` and `/` included) and `?` (exactly one character), as in RAM Action, Resource and StringLike.
// Patterns are classified once so that the common shapes (`*`, `ram:GetUser`, `ram:Get*`, `*:List*`) never reach the
// general matcher.

export const enum PatternKind {
  Any,
  Exact,
  Prefix,
  Suffix,
  Glob,
  /** A literal head (which may contain `*` and `?` as plain characters) followed by another pattern. */
  Headed,
}

export interface Pattern {
  readonly kind: PatternKind;
  /** Exact: the whole text; Prefix/Suffix: the literal part; Glob: the pattern itself; Headed: the literal head. */
  readonly text: string;
  /** Headed only; always present so every pattern has one shape and the matcher stays monomorphic. */
  readonly rest: Pattern | undefined;
}

export function compilePattern(source: string): Pattern {
  if (source === '*') return { kind: PatternKind.Any, text: '', rest: undefined };
  const firstStar = source.indexOf('*');
  if (source.indexOf('?') === -1) {
    if (firstStar === -1) return { kind: PatternKind.Exact, text: source, rest: undefined };
    const lastStar = source.lastIndexOf('*');
    if (firstStar === lastStar) {
      if (firstStar === source.length - 1) return { kind: PatternKind.Prefix, text: source.slice(0, -1), rest: undefined };
      if (firstStar === 0) return { kind: PatternKind.Suffix, text: source.slice(1), rest: undefined };
    }
  }
  return { kind: PatternKind.Glob, text: source.replace(/\*{2,}/g, '*'), rest: undefined };
}

export function literalThen(head: string, rest: Pattern): Pattern {
  return { kind: PatternKind.Headed, text: head, rest };
}

export function matchPattern(pattern: Pattern, value: string): boolean {
  switch (pattern.kind) {
    case PatternKind.Any:
      return true;
    case PatternKind.Exact:
      return value === pattern.text;
    case PatternKind.Prefix:
      return value.startsWith(pattern.text);
    case PatternKind.Suffix:
      return value.endsWith(pattern.text);
    case PatternKind.Glob:
      return matchGlob(pattern.text, value, 0);
    default:
      return value.startsWith(pattern.text) && matchPatternFrom(pattern.rest!, value, pattern.text.length);
  }
}

function matchPatternFrom(pattern: Pattern, value: string, start: number): boolean {
  switch (pattern.kind) {
    case PatternKind.Any:
      return true;
    case PatternKind.Exact:
      return value.length - start === pattern.text.length && value.startsWith(pattern.text, start);
    case PatternKind.Prefix:
      return value.startsWith(pattern.text, start);
    case PatternKind.Suffix:
      return value.length - start >= pattern.text.length && value.endsWith(pattern.text);
    case PatternKind.Glob:
      return matchGlob(pattern.text, value, start);
    default:
      return value.startsWith(pattern.text, start) && matchPatternFrom(pattern.rest!, value, start + pattern.text.length);
  }
}

/** Iterative matcher with single-star backtracking: linear in practice, no allocation, no regular expression to blow up. */
export function matchGlob(pattern: string, value: string, start = 0): boolean {
  const plen = pattern.length;
  const vlen = value.length;
  let p = 0;
  let v = start;
  let starP = -1;
  let starV = 0;
  while (v < vlen) {
    if (p < plen) {
      const c = pattern.charCodeAt(p);
      if (c === 42 /* * */) {
        starP = p++;
        starV = v;
        continue;
      }
      if (c === 63 /* ? */ || c === value.charCodeAt(v)) {
        p++;
        v++;
        continue;
      }
    }
    if (starP === -1) return false;
    p = starP + 1;
    v = ++starV;
  }
  while (p < plen && pattern.charCodeAt(p) === 42) p++;
  return p === plen;
}
