/** The placeholders a repository's web link template may use. */
export const WEB_URL_PLACEHOLDERS = ["owner", "repo", "commit", "path", "line", "end_line"] as const;

export interface WebUrlValues {
  owner: string;
  repo: string;
  commit: string;
  path: string;
  line: number;
  endLine: number;
}

/**
 * Why a link template cannot be used, or null when it can: an `http(s)://` URL of at most 2,000
 * characters, without spaces, whose `{…}` are all known placeholders.
 */
export function webUrlTemplateProblem(template: string): string | null {
  if (template.length > 2000) return "is longer than 2000 characters";
  if (!/^https?:\/\/[^\s/{}]+/i.test(template) || /\s/.test(template))
    return "must be an http(s) URL without spaces, e.g. https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}";
  for (const [, name] of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!(WEB_URL_PLACEHOLDERS as readonly string[]).includes(name ?? ""))
      return `uses the unknown placeholder {${name}} (known: ${WEB_URL_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")})`;
  }
  if (/[{}]/.test(template.replace(/\{[a-z_]+\}/g, ""))) return "has an unmatched { or }";
  return null;
}

/** The template with its placeholders filled in; each path segment is URL-encoded, its slashes kept. */
export function renderWebUrl(template: string, values: WebUrlValues): string {
  const path = values.path.replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/");
  const byName: Record<(typeof WEB_URL_PLACEHOLDERS)[number], string> = {
    owner: encodeURIComponent(values.owner),
    repo: encodeURIComponent(values.repo),
    commit: encodeURIComponent(values.commit),
    path,
    line: String(values.line),
    end_line: String(values.endLine),
  };
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => byName[name as keyof typeof byName] ?? whole);
}
