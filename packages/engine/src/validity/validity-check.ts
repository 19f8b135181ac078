import { validityCheckDocuments } from "./checks.generated.js";

/**
 * A validity check as data: the HTTP request that asks a credential's issuer whether it still works,
 * and which answers mean `active` or `inactive`. One YAML document per provider in
 * packages/engine/rules/validity/ (format in docs/validity.md, schema beside the documents), compiled
 * by scripts/compile-validity-checks.mjs. The engine only builds the request and reads the answer;
 * sending it is the product's job (packages/vigil/src/validity/).
 */
export type Validity = "active" | "inactive" | "unknown";

export interface ResponseMatcher {
  status?: number[];
  json?: { path: string; equals?: JsonScalar; in?: JsonScalar[]; exists?: boolean };
  body_contains?: string;
}

type JsonScalar = string | number | boolean | null;

export interface ValidityCheckData {
  /** The secret type of the other half (an AWS secret key for its key id); `{{pair}}` in templates. */
  pair?: string;
  /** A signature computed in code, by name. */
  signer?: "aws_sigv4";
  request: {
    method: "GET" | "POST" | "HEAD";
    /** Fixed https host; `{{secret}}` / `{{pair}}` only in the path or query. */
    url: string;
    headers?: Record<string, string>;
    basic_auth?: { username: string; password: string };
    body?: string;
    form?: Record<string, string>;
  };
  active: ResponseMatcher | ResponseMatcher[];
  inactive: ResponseMatcher | ResponseMatcher[];
}

export interface ValidityCheckDocument {
  file: string;
  provider: string;
  docs: string;
  rate_limit?: { requests: number; per_seconds: number };
  checks: Record<string, ValidityCheckData>;
}

/** One secret type's check, with its provider's document fields. */
export interface ValidityCheck extends ValidityCheckData {
  secretType: string;
  provider: string;
  /** The provider document's file name without `.yaml`: the key for per-provider rate limits. */
  providerKey: string;
  docs: string;
  rateLimit: { requests: number; perSeconds: number };
}

/** A request ready to send (the signer, when named, still has to sign it). */
export interface CheckRequest {
  method: "GET" | "POST" | "HEAD";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Issuers' documented limits are far above this; it keeps a burst of new alerts from looking like abuse. */
const DEFAULT_RATE_LIMIT = { requests: 60, perSeconds: 60 };

let byType: Map<string, ValidityCheck> | undefined;

/** Every built-in check, by secret type. */
export function validityChecks(): ReadonlyMap<string, ValidityCheck> {
  if (byType) return byType;
  byType = new Map();
  for (const doc of validityCheckDocuments) {
    const providerKey = doc.file.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
    const rateLimit = doc.rate_limit
      ? { requests: doc.rate_limit.requests, perSeconds: doc.rate_limit.per_seconds }
      : DEFAULT_RATE_LIMIT;
    for (const [secretType, data] of Object.entries(doc.checks)) {
      byType.set(secretType, { ...data, secretType, provider: doc.provider, providerKey, docs: doc.docs, rateLimit });
    }
  }
  return byType;
}

export function validityCheckFor(secretType: string): ValidityCheck | undefined {
  return validityChecks().get(secretType);
}

const SLOT = /\{\{\s*(secret|pair)\s*\}\}/g;

/**
 * The request for one credential, or a reason it cannot be sent (a pair without its other half, a
 * secret that cannot be put in a header). The URL's host never depends on the secret: slots there
 * are URL-encoded into the path or query.
 */
export function buildCheckRequest(
  check: ValidityCheckData,
  secret: string,
  pair?: string,
): CheckRequest | { problem: string } {
  if (check.pair && pair === undefined) return { problem: `needs its pair (${check.pair})` };
  const values = { secret, pair: pair ?? "" };
  const fill = (text: string, encode: (s: string) => string = (s) => s): string =>
    text.replace(SLOT, (_all, name: "secret" | "pair") => encode(values[name]));
  // A header value cannot hold a line break or NUL: such a "secret" is not a credential a server would accept.
  if (/[\r\n\0]/.test(secret) || /[\r\n\0]/.test(pair ?? ""))
    return { problem: "the secret holds a line break or NUL" };
  const url = fill(check.request.url, encodeURIComponent);
  const fixedHost = new URL(check.request.url.replace(SLOT, "x")).host;
  if (new URL(url).host !== fixedHost) return { problem: "the secret would change the request's host" };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(check.request.headers ?? {})) headers[name.toLowerCase()] = fill(value);
  if (check.request.basic_auth) {
    const user = fill(check.request.basic_auth.username);
    const password = fill(check.request.basic_auth.password);
    headers.authorization = `Basic ${base64(`${user}:${password}`)}`;
  }
  let body: string | undefined;
  if (check.request.form) {
    body = Object.entries(check.request.form)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(fill(v))}`)
      .join("&");
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  } else if (check.request.body !== undefined) body = fill(check.request.body);
  return { method: check.request.method, url, headers, ...(body !== undefined ? { body } : {}) };
}

/** `active`, `inactive`, or `unknown` when the answer matches neither (an outage, a changed API). */
export function classifyCheckResponse(check: ValidityCheckData, response: { status: number; body: string }): Validity {
  let json: unknown;
  let parsed = false;
  const jsonOf = (): unknown => {
    if (!parsed) {
      parsed = true;
      try {
        json = JSON.parse(response.body);
      } catch {
        json = undefined;
      }
    }
    return json;
  };
  const matches = (m: ResponseMatcher): boolean => {
    if (m.status && !m.status.includes(response.status)) return false;
    if (m.body_contains !== undefined && !response.body.includes(m.body_contains)) return false;
    if (m.json) {
      const found = lookup(jsonOf(), m.json.path);
      if (m.json.exists !== undefined && (found !== undefined) !== m.json.exists) return false;
      if ("equals" in m.json && found !== m.json.equals) return false;
      if (m.json.in && !m.json.in.some((v) => v === found)) return false;
    }
    return true;
  };
  const any = (ms: ResponseMatcher | ResponseMatcher[]): boolean => (Array.isArray(ms) ? ms : [ms]).some(matches);
  if (any(check.active)) return "active";
  if (any(check.inactive)) return "inactive";
  return "unknown";
}

function lookup(value: unknown, path: string): unknown {
  let at = value;
  for (const part of path.split(".")) {
    if (at === null || typeof at !== "object") return undefined;
    at = Array.isArray(at)
      ? /^\d+$/.test(part)
        ? at[Number(part)]
        : undefined
      : (at as Record<string, unknown>)[part];
  }
  return at;
}

/** btoa over UTF-8 (the engine runs where Buffer may not exist). */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
