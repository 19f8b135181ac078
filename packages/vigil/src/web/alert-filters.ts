import { builtinPatterns } from "vigil-secrets-engine";
import { html } from "hono/html";
import { ApiError } from "../api/api-error.js";
import type { Html } from "./layout.js";

/** Non-provider pattern ids: the "generic" filter lists them by name, the only way the store lists generic alerts. */
const GENERIC_TYPES = builtinPatterns.filter((p) => p.category === "generic").map((p) => p.id);

export const CLOSE_REASONS = [
  ["revoked", "Revoked", "The secret has been revoked."],
  ["false_positive", "False positive", "The string is not a secret."],
  ["used_in_tests", "Used in tests", "The secret is only used in tests."],
  ["wont_fix", "Won't fix", "The secret poses no risk, or it is not worth fixing."],
] as const;

/** GitHub's sort menu: newest, oldest, recently updated, least recently updated. */
const SORTS = [
  ["created-desc", "Newest"],
  ["created-asc", "Oldest"],
  ["updated-desc", "Recently updated"],
  ["updated-asc", "Least recently updated"],
] as const;

/** The page's filter names; each is a query parameter, so a filtered list is a link to share. */
const FIELDS = [
  "state",
  "secret_type",
  "provider",
  "resolution",
  "validity",
  "bypassed",
  "publicly_leaked",
  "multi_repo",
  "assignee",
  "repo",
  "kind",
  "sort",
] as const;
type Field = (typeof FIELDS)[number];
export type FilterValues = Record<Field, string> & { q: string };

/**
 * GitHub's search-bar qualifiers (`is:open secret-type:x provider:y repo:z`), mapped to the page's
 * fields; a qualifier in the search box wins over the same field of the form.
 */
const QUALIFIERS: Record<string, (value: string, into: FilterValues) => void> = {
  is: (value, into) => {
    if (value === "open" || value === "closed") into.state = value === "open" ? "open" : "resolved";
    else if (value === "publicly-leaked") into.publicly_leaked = "true";
    else if (value === "multi-repo") into.multi_repo = "true";
    else throw badSearch(`is:${value}`, "is: takes open, closed, publicly-leaked or multi-repo");
  },
  "secret-type": (value, into) => void (into.secret_type = value),
  provider: (value, into) => void (into.provider = value),
  resolution: (value, into) => void (into.resolution = value.replace(/-/g, "_")),
  validity: (value, into) => void (into.validity = value),
  bypassed: (value, into) => void (into.bypassed = value),
  assignee: (value, into) => void (into.assignee = value),
  repo: (value, into) => void (into.repo = value),
  results: (value, into) => {
    if (value !== "default" && value !== "generic")
      throw badSearch(`results:${value}`, "results: takes default or generic");
    into.kind = value === "generic" ? "generic" : "";
  },
  sort: (value, into) => void (into.sort = value),
};

/**
 * The list's filters and the REST API query they become (`parseAlertListQuery` validates it, so an
 * unknown value is the API's own 422). State defaults to open, as on GitHub; `repo` narrows an
 * organization's or the enterprise's list to repositories by name; pages use the API's cursors.
 */
export function readFilters(params: URLSearchParams): {
  values: FilterValues;
  apiParams: URLSearchParams;
  repoNames: string[];
} {
  const get = (name: string): string => (params.get(name) ?? "").trim();
  const values = { q: get("q") } as FilterValues;
  for (const field of FIELDS) values[field] = get(field);
  if (!params.has("state")) values.state = "open";
  for (const token of values.q.split(/\s+/).filter(Boolean)) {
    const colon = token.indexOf(":");
    const apply = colon > 0 ? QUALIFIERS[token.slice(0, colon)] : undefined;
    if (!apply || colon === token.length - 1)
      throw badSearch(
        token,
        `use qualifiers such as is:open, secret-type:…, provider:…, repo:…, assignee:…, validity:…`,
      );
    apply(token.slice(colon + 1), values);
  }

  const api = new URLSearchParams();
  if (values.state && values.state !== "all") api.set("state", values.state);
  for (const name of ["resolution", "validity"] as const) if (values[name]) api.set(name, values[name]);
  if (values.provider) api.set("providers", values.provider);
  if (values.bypassed) api.set("is_bypassed", values.bypassed);
  if (values.publicly_leaked) api.set("is_publicly_leaked", values.publicly_leaked);
  if (values.multi_repo) api.set("is_multi_repo", values.multi_repo);
  if (values.assignee) api.set("assignee", values.assignee === "any" ? "*" : values.assignee);
  const sort = values.sort || "created-desc";
  const [by, direction] = sort.split("-");
  if (!SORTS.some(([value]) => value === sort))
    throw new ApiError(
      422,
      `Invalid value for sort: '${sort.slice(0, 64)}' is not one of ${SORTS.map(([v]) => v).join(", ")}`,
    );
  api.set("sort", by!);
  api.set("direction", direction!);
  let types = values.secret_type
    ? values.secret_type
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
  if (values.kind === "generic")
    types = types.length > 0 ? types.filter((t) => GENERIC_TYPES.includes(t)) : GENERIC_TYPES;
  else if (values.kind && values.kind !== "provider")
    throw new ApiError(422, `Invalid value for kind: '${values.kind.slice(0, 64)}' is not one of provider, generic`);
  if (values.kind === "generic" && types.length === 0) types = ["-none-"];
  if (types.length > 0) api.set("secret_type", types.join(","));
  api.set("per_page", "25");
  // Cursor pages (index-backed at any depth): the first page asks with an empty `after`.
  const before = params.get("before");
  if (before) api.set("before", before);
  else api.set("after", params.get("after") ?? "");
  const repoNames = values.repo
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  return { values, apiParams: api, repoNames };
}

/** The filter form: a search box for GitHub's qualifiers and one labelled control per filter. */
export function filterForm(action: string, values: FilterValues, options: { withRepository: boolean }): Html {
  const select = (name: Field, label: string, choices: readonly (readonly [string, string])[]): Html =>
    html`<label
      >${label}<select name="${name}">
        ${choices.map(([value, text]) => html`<option value="${value}" ${values[name] === value ? " selected" : ""}>${text}</option>`)}
      </select></label
    >`;
  const text = (name: Field, label: string, placeholder: string, size = 18): Html =>
    html`<label
      >${label}<input name="${name}" value="${values[name]}" placeholder="${placeholder}" size="${size}"
    /></label>`;
  const check = (name: Field, label: string): Html =>
    html`<label class="check"
      ><input type="checkbox" name="${name}" value="true" ${values[name] === "true" ? " checked" : ""} />
      ${label}</label
    >`;
  return html`<form class="filters" method="get" action="${action}" role="search" aria-label="Filter alerts">
    <label class="wide"
      >Search<input
        name="q"
        value="${values.q}"
        placeholder="e.g. is:open provider:github repo:api"
        aria-describedby="search-help"
        size="40"
    /></label>
    <span id="search-help" class="muted small help"
      >Qualifiers: is:open, is:closed, is:publicly-leaked, is:multi-repo, secret-type:, provider:, resolution:,
      validity:, bypassed:, assignee:, repo:, results:generic</span
    >
    ${select("state", "State", [
      ["open", "Open"],
      ["resolved", "Closed"],
      ["all", "All"],
    ])}
    ${select("resolution", "Closed as", [["", "Any"], ...CLOSE_REASONS.map(([v, l]) => [v, l] as const)])}
    ${select("validity", "Validity", [
      ["", "Any"],
      ["active", "Active"],
      ["inactive", "Inactive"],
      ["unknown", "Unknown"],
    ])}
    ${select("kind", "Patterns", [
      ["", "Provider"],
      ["generic", "Generic"],
    ])}
    ${select("bypassed", "Bypassed", [
      ["", "Any"],
      ["true", "Bypassed"],
      ["false", "Not bypassed"],
    ])}
    ${text("secret_type", "Secret type", "e.g. github_personal_access_token", 28)}
    ${text("provider", "Provider", "e.g. github", 12)} ${text("assignee", "Assignee", "login, any or none", 14)}
    ${options.withRepository ? text("repo", "Repository", "e.g. acme/api", 14) : ""}
    ${check("publicly_leaked", "Publicly leaked")} ${check("multi_repo", "Multi-repository")}
    ${select("sort", "Sort", SORTS)}
    <button type="submit">Filter</button>
  </form>`;
}

function badSearch(token: string, help: string): ApiError {
  return new ApiError(422, `Unknown search term '${token.slice(0, 64)}': ${help}`);
}
