/** GitHub's CODEOWNERS locations, in the order GitHub looks: the first one found is used. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export interface CodeownersRule {
  pattern: string;
  /** `@user`, `@org/team` or an email address; empty: the pattern's paths have no owner. */
  owners: string[];
  line: number;
  matches(path: string): boolean;
}

/**
 * Parses a CODEOWNERS file with GitHub's rules: gitignore-like patterns, `#` comments (`\#` for a
 * pattern that starts with one), no `!` negation and no `[ ]` ranges (such lines are skipped, as
 * GitHub ignores them), and `docs/*` matching only files directly in `docs/`.
 */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fields = line.split(/\s+/);
    let pattern = fields[0]!;
    if (pattern.startsWith("\\#")) pattern = pattern.slice(1);
    if (pattern.startsWith("!") || /\[[^\]]*\]/.test(pattern)) continue;
    const owners: string[] = [];
    for (const field of fields.slice(1)) {
      if (field.startsWith("#")) break;
      owners.push(field);
    }
    const regex = patternRegex(pattern);
    rules.push({ pattern, owners, line: i + 1, matches: (path) => regex.test(path.replace(/^\/+/, "")) });
  }
  return rules;
}

/** The owners of a path: those of the last matching rule (GitHub: the last match takes precedence). */
export function ownersOf(rules: readonly CodeownersRule[], path: string): string[] {
  for (let i = rules.length - 1; i >= 0; i--) if (rules[i]!.matches(path)) return rules[i]!.owners;
  return [];
}

function patternRegex(raw: string): RegExp {
  const dirOnly = raw.endsWith("/");
  let pattern = raw.replace(/\/+$/, "");
  // A slash at the start or in the middle anchors the pattern at the repository's root (gitignore).
  const anchored = pattern.startsWith("/") || pattern.includes("/");
  pattern = pattern.replace(/^\/+/, "");
  if (pattern === "") return /^.*$/;
  const segments = pattern.split("/");
  let body = "";
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === "**") {
      body += last ? ".*" : "(?:.*/)?";
      continue;
    }
    body += globSegment(segment) + (last ? "" : "/");
  }
  const lastSegment = segments[segments.length - 1]!;
  // A directory (or a plain name) owns everything under it; `docs/*` and `*.js` name files themselves.
  const under = dirOnly || !lastSegment.includes("*") ? "(?:/.*)?" : "";
  const prefix = anchored || pattern.startsWith("**/") ? "^" : "^(?:.*/)?";
  return new RegExp(`${prefix}${body}${under}$`);
}

function globSegment(segment: string): string {
  let out = "";
  for (const ch of segment) {
    if (ch === "*") out += "[^/]*";
    else if (ch === "?") out += "[^/]";
    else out += ch.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return out;
}
