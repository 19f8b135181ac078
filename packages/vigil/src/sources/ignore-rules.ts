import ignore from "ignore";

/**
 * One ignore file's rules (.gitignore syntax), asked about paths relative to the file's directory,
 * `/`-separated, a directory's with a trailing `/`, **on the walk's terms**: the walk never enters a
 * directory these rules (or others above) ignore, so a path asked about has no ignored parent.
 */
export interface IgnoreRules {
  ignores(path: string): boolean;
}

/** How `lineRegex` starts a line that may match at any depth. */
const ANYWHERE = "(?:^|\\/)";

const NEVER: IgnoreRules = { ignores: () => false };

/**
 * Compiles an ignore file's text. What nearly every ignore file holds (plain names, `*.ext`,
 * anchored paths such as `/dist` or `/test/**\/generated/**`, no negation) becomes the union of
 * the regexes the `ignore` package builds for those lines (case-insensitive, as its default is):
 * one regex for the lines with a slash, asked of the path, one for the others, asked of its last
 * name. Anything else (a `!` line, escapes, character classes, `?`, spaces, a leading `**`) leaves
 * the whole file to the `ignore` package, as before. The union answers what `ignore`
 * answers for a path whose parents are not ignored, without its per-path cache and parent checks,
 * which were half of a work tree's walk (webpack: 17,000 paths against 25 rules, ~0.1 s cold).
 * Without negation a path is ignored when any line matches it, so the order of lines does not
 * matter. A test compares both on generated paths for every form handled here.
 */
export function compileIgnoreRules(text: string): IgnoreRules {
  const anchored: string[] = [];
  const anywhere: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === "" || line.startsWith("#")) continue;
    const source = lineRegex(line);
    if (source === undefined) {
      const rules = ignore().add(text);
      return { ignores: (path) => rules.ignores(path) };
    }
    // A line without a slash matches within one name, the last (see `lineRegex`): asked of the
    // last name alone, as `^…`, it answers the same, without trying every `/` of the path.
    if (source.startsWith(ANYWHERE)) anywhere.push("^" + source.slice(ANYWHERE.length));
    else anchored.push(source);
  }
  const onPath = union(anchored);
  const onName = union(anywhere);
  if (onPath && onName) {
    return { ignores: (path) => onName.test(lastName(path)) || onPath.test(path) };
  }
  if (onName) return { ignores: (path) => onName.test(lastName(path)) };
  if (onPath) return { ignores: (path) => onPath.test(path) };
  return NEVER;
}

function union(sources: string[]): RegExp | undefined {
  if (sources.length === 0) return undefined;
  return new RegExp(sources.length === 1 ? sources[0]! : sources.map((s) => `(?:${s})`).join("|"), "i");
}

/** The path's last name, with the trailing `/` of a directory's. */
function lastName(path: string): string {
  const slash = path.lastIndexOf("/", path.length - 2);
  return slash < 0 ? path : path.slice(slash + 1);
}

/** Segments this handles: names of these characters, with single `*`s. */
const SEGMENT = /^[A-Za-z0-9._@+~*-]+$/;

/**
 * The regex the `ignore` package (7.x) builds for one line, for the forms handled here; undefined
 * for any other line.
 */
export function lineRegex(line: string): string | undefined {
  let body = line;
  const dirOnly = body.endsWith("/");
  if (dirOnly) body = body.slice(0, -1);
  const leadingSlash = body.startsWith("/");
  if (leadingSlash) body = body.slice(1);
  if (body === "") return undefined;
  const segments = body.split("/");
  // A slash at the start or in the middle anchors the line to the file's directory.
  let out = leadingSlash || segments.length > 1 ? "^" : ANYWHERE;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === "**") {
      if (i === 0 || segments[i + 1] === "**") return undefined;
      if (i === segments.length - 1) return dirOnly ? undefined : out + "\\/[\\s\\S]";
      out += "(?:\\/[^\\/]+)*";
      continue;
    }
    if (!SEGMENT.test(segment) || segment.includes("**") || segment === "*" || /^\.+$/.test(segment)) return undefined;
    if (i > 0) out += "\\/";
    out += segment
      .split("*")
      .map((literal) => literal.replace(/[.+]/g, "\\$&"))
      .join("[^\\/]*");
  }
  return out + (dirOnly ? "\\/$" : "(?=$|\\/$)");
}
