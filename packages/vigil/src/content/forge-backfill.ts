import type { ContentItem } from "./forge-events.js";

/** Where a backfill stands: the endpoint it is on and the next page's URL. Saved after every page. */
export interface BackfillState {
  endpoint: number;
  next: string | null;
  done: boolean;
  items: number;
}

export interface BackfillOptions {
  /** The forge's REST API root: `https://api.github.com`, `https://ghe.example/api/v3`, `https://gitea.example/api/v1`. */
  baseUrl: string;
  /** `owner/name` on the forge. */
  repository: string;
  token?: string;
  /** Receives each page's content; the state is saved only after it resolves. */
  onItems(items: ContentItem[]): Promise<void>;
  loadState(): Promise<BackfillState | null>;
  saveState(state: BackfillState): Promise<void>;
  /** The longest wait for a rate limit to reset; beyond it the backfill stops, resumable (default 15 minutes). */
  maxWaitMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
}

export interface BackfillResult {
  state: BackfillState;
  pages: number;
  /** The backfill stopped at a rate limit longer than `maxWaitMs`; run it again to resume. */
  stoppedAt: { resetAt: number } | null;
  rateLimitWaits: number;
}

export class BackfillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackfillError";
  }
}

type Json = Record<string, unknown>;

/** A string field of a forge's JSON, or "" when absent or not a string. */
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** The endpoints, in order: issues and pull requests (titles and bodies), their comments, review comments. */
const ENDPOINTS: { path: string; map: (entry: Json) => ContentItem[] }[] = [
  {
    path: "issues?state=all&sort=created&direction=asc&per_page=100",
    map: (issue) => {
      const pull = issue.pull_request as Json | undefined;
      const url = text(pull?.url) || text(issue.url);
      const html = text(pull?.html_url) || text(issue.html_url);
      const items: ContentItem[] = [];
      const push = (type: ContentItem["type"], details: ContentItem["details"], text: unknown): void => {
        if (typeof text === "string" && text !== "") items.push({ type, details, texts: [text] });
      };
      if (pull) {
        push("pull_request_title", { pull_request_title_url: url, html_url: html }, issue.title);
        push("pull_request_body", { pull_request_body_url: url, html_url: html }, issue.body);
      } else {
        push("issue_title", { issue_title_url: url, html_url: html }, issue.title);
        push("issue_body", { issue_body_url: url, html_url: html }, issue.body);
      }
      return items;
    },
  },
  {
    path: "issues/comments?sort=created&direction=asc&per_page=100",
    map: (comment) => {
      if (typeof comment.body !== "string" || comment.body === "") return [];
      const url = text(comment.url);
      const html = text(comment.html_url);
      // A comment on a pull request's conversation: its web URL is under /pull/ (GitHub, Gitea: /pulls/).
      const onPull = /\/pulls?\/\d+/.test(html);
      const type = onPull ? "pull_request_comment" : "issue_comment";
      return [{ type, details: { [`${type}_url`]: url, html_url: html }, texts: [comment.body] }];
    },
  },
  {
    path: "pulls/comments?sort=created&direction=asc&per_page=100",
    map: (comment) =>
      typeof comment.body === "string" && comment.body !== ""
        ? [
            {
              type: "pull_request_review_comment",
              details: {
                pull_request_review_comment_url: text(comment.url),
                html_url: text(comment.html_url),
              },
              texts: [comment.body],
            },
          ]
        : [],
  },
];

function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1]!;
  }
  return null;
}

/**
 * Backfills existing issues, pull requests and comments through a forge's GitHub-compatible REST
 * API: every page of every endpoint, following `Link: rel="next"`, waiting out rate limits
 * (`X-RateLimit-Remaining: 0` with `X-RateLimit-Reset`, or `Retry-After` on 403/429), and saving where
 * it is after each page, so that a stopped or failed run resumes there. The REST API gives the text
 * as it is now: earlier revisions reach Vigil through webhooks (`changes.*.from`).
 */
export async function backfillFromForge(options: BackfillOptions): Promise<BackfillResult> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const maxWait = options.maxWaitMs ?? 15 * 60_000;
  const base = options.baseUrl.replace(/\/+$/, "");
  const state: BackfillState = (await options.loadState()) ?? { endpoint: 0, next: null, done: false, items: 0 };
  let pages = 0;
  let rateLimitWaits = 0;
  const headers: Record<string, string> = { accept: "application/vnd.github+json", "user-agent": "Vigil-Backfill" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  while (!state.done) {
    options.signal?.throwIfAborted();
    const endpoint = ENDPOINTS[state.endpoint];
    if (!endpoint) {
      state.done = true;
      await options.saveState(state);
      break;
    }
    const url = state.next ?? `${base}/repos/${options.repository}/${endpoint.path}`;
    const res = await doFetch(url, { headers, ...(options.signal ? { signal: options.signal } : {}) });
    const remaining = res.headers.get("x-ratelimit-remaining");
    const reset = Number(res.headers.get("x-ratelimit-reset") ?? NaN);
    const retryAfter = Number(res.headers.get("retry-after") ?? NaN);
    if ((res.status === 403 || res.status === 429) && (remaining === "0" || Number.isFinite(retryAfter))) {
      await res.body?.cancel();
      const resetAt = Number.isFinite(retryAfter)
        ? now() + retryAfter * 1000
        : Number.isFinite(reset)
          ? reset * 1000
          : now() + 60_000;
      const wait = Math.max(0, resetAt - now());
      if (wait > maxWait) return { state, pages, stoppedAt: { resetAt }, rateLimitWaits };
      rateLimitWaits++;
      await sleep(wait + 250);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new BackfillError(
        `GET ${url.replace(/[?#].*$/, "")} answered ${res.status}${res.status === 401 ? " (the forge token is missing or wrong)" : res.status === 404 ? " (no such repository, or the token cannot see it)" : ""}`,
      );
    }
    const body: unknown = await res.json();
    if (!Array.isArray(body)) throw new BackfillError(`GET ${url.replace(/[?#].*$/, "")} did not answer a JSON array`);
    const items = (body as Json[]).flatMap((entry) =>
      typeof entry === "object" && entry !== null ? endpoint.map(entry) : [],
    );
    await options.onItems(items);
    pages++;
    state.items += items.length;
    state.next = nextLink(res.headers.get("link"));
    if (state.next === null) state.endpoint++;
    await options.saveState(state);
    // Out of requests for now: wait for the reset before the next page rather than be refused.
    if (remaining === "0" && Number.isFinite(reset) && !state.done && state.endpoint < ENDPOINTS.length) {
      const wait = Math.max(0, reset * 1000 - now());
      if (wait > maxWait) return { state, pages, stoppedAt: { resetAt: reset * 1000 }, rateLimitWaits };
      rateLimitWaits++;
      await sleep(wait + 250);
    }
  }
  return { state, pages, stoppedAt: null, rateLimitWaits };
}
