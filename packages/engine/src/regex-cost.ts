/**
 * An estimate of the size of the program RE2 compiles a regex to (its instructions), from the
 * source alone: the `re2` package does not expose RE2's own program size. RE2 matches in time linear
 * in the input, but the constant grows with the program: 2,000 alternatives scanned 1 MB in 24 s.
 * The estimate follows RE2's compiler: a literal or simple class is about one instruction, an
 * alternative and a `*`/`+`/`?` one more, a group two, `x{n,m}` m copies of `x` (n + 1 when open),
 * a Unicode class (`\pL`, a negated class, `.`) several (UTF-8 byte ranges).
 */
export interface RegexCost {
  /** Estimated instructions. */
  size: number;
  /** `|` at any depth. */
  alternatives: number;
}

interface Frame {
  done: number;
  current: number;
  last: number;
  branches: number;
}

const UNICODE_CLASS = 12;

export function estimateRegexCost(source: string): RegexCost {
  const stack: Frame[] = [];
  let frame: Frame = { done: 0, current: 0, last: 0, branches: 0 };
  let alternatives = 0;
  const atom = (size: number): void => {
    frame.current += size;
    frame.last = size;
  };
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (next === "p" || next === "P") {
        i += source[i + 2] === "{" ? Math.max(3, source.indexOf("}", i + 2) - i + 1) : 3;
        atom(UNICODE_CLASS * 4);
        continue;
      }
      if (next === "Q") {
        const end = source.indexOf("\\E", i + 2);
        const literal = end < 0 ? n - i - 2 : end - i - 2;
        i = end < 0 ? n : end + 2;
        atom(Math.max(1, literal));
        continue;
      }
      if (next === "x" && source[i + 2] === "{") {
        i = Math.max(i + 3, source.indexOf("}", i + 2) + 1);
        atom(2);
        continue;
      }
      i += 2;
      atom("dDwWsS".includes(next) ? 3 : 1);
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      const negated = source[j] === "^";
      if (negated) j++;
      if (source[j] === "]") j++;
      let ranges = 0;
      while (j < n && source[j] !== "]") {
        if (source[j] === "[" && source[j + 1] === ":") {
          const end = source.indexOf(":]", j + 2);
          j = end < 0 ? n : end + 2;
          ranges += 2;
          continue;
        }
        if (source[j] === "\\") {
          ranges += source[j + 1] === "p" || source[j + 1] === "P" ? UNICODE_CLASS : 1;
          j +=
            source[j + 1] === "p" || source[j + 1] === "P"
              ? source[j + 2] === "{"
                ? Math.max(3, source.indexOf("}", j) - j + 1)
                : 3
              : 2;
          continue;
        }
        if (source[j + 1] === "-" && source[j + 2] !== "]") j += 3;
        else j++;
        ranges++;
      }
      i = j + 1;
      atom(1 + Math.ceil(ranges / 2) + (negated ? UNICODE_CLASS : 0));
      continue;
    }
    if (c === "(") {
      // Flags alone, (?i): no group.
      const flagsOnly = /^\(\?[a-zA-Z-]*\)/.exec(source.slice(i, i + 12));
      if (flagsOnly) {
        i += flagsOnly[0].length;
        continue;
      }
      stack.push(frame);
      frame = { done: 0, current: 0, last: 0, branches: 0 };
      i++;
      if (source[i] === "?") {
        const close = source.indexOf(source[i + 1] === "P" || source[i + 1] === "<" ? ">" : ":", i);
        if (close > 0) i = close + 1;
      }
      continue;
    }
    if (c === ")") {
      const size = frame.done + frame.current + frame.branches + 2;
      frame = stack.pop() ?? { done: 0, current: 0, last: 0, branches: 0 };
      atom(size);
      i++;
      continue;
    }
    if (c === "|") {
      alternatives++;
      frame.done += frame.current;
      frame.current = 0;
      frame.last = 0;
      frame.branches++;
      i++;
      continue;
    }
    if (c === "*" || c === "+" || c === "?") {
      frame.current += 1;
      i++;
      if (source[i] === "?") i++;
      continue;
    }
    if (c === "{") {
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 16));
      if (rep) {
        const min = Number(rep[1]);
        const max = rep[2] === undefined ? min : rep[3] === "" ? min + 1 : Number(rep[3]);
        const copies = Math.max(1, max);
        frame.current += frame.last * (copies - 1) + copies;
        frame.last *= copies;
        i += rep[0].length;
        if (source[i] === "?") i++;
        continue;
      }
    }
    atom(c === "." ? UNICODE_CLASS : 1);
    i++;
  }
  while (stack.length > 0) {
    const size = frame.done + frame.current + frame.branches + 2;
    frame = stack.pop()!;
    atom(size);
  }
  return { size: frame.done + frame.current + frame.branches + 2, alternatives };
}
