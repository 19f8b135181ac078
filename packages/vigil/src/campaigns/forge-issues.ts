import { VIGIL_VERSION } from "../version.js";
import type { ForgeKind } from "./campaign-store.js";

export interface IssueRef {
  number: number;
  url: string;
  state: "open" | "closed";
}

export interface IssueInput {
  title: string;
  body: string;
  labels: string[];
}

/** Issues in a forge's repository: the few calls outreach needs, over the forge's REST API. */
export interface IssueTracker {
  /** An issue (open or closed) carrying the label, if any: outreach finds an issue a crash left unrecorded. */
  findIssue(repo: string, label: string): Promise<IssueRef | null>;
  createIssue(repo: string, input: IssueInput): Promise<IssueRef>;
  updateIssue(repo: string, number: number, patch: { title?: string; body?: string; state?: "open" | "closed" }): Promise<IssueRef>;
}

/** A forge call that failed: the status and the forge's own message, never the request's credentials. */
export class ForgeError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "ForgeError";
  }
}

export interface IssueTrackerOptions {
  kind: ForgeKind;
  /** GitHub: `https://api.github.com`, GHES `https://host/api/v3`, Gitea `https://host/api/v1`; GitLab: `https://host/api/v4`. */
  apiUrl: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function createIssueTracker(options: IssueTrackerOptions): IssueTracker {
  return options.kind === "gitlab" ? gitlabTracker(options) : githubTracker(options);
}

type Json = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === "string" || typeof value === "number" ? String(value) : "");

function caller(options: IssueTrackerOptions, headers: Record<string, string>) {
  const base = options.apiUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  return async (method: string, path: string, body?: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: { ...headers, "User-Agent": `Vigil/${VIGIL_VERSION}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        redirect: "error",
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new ForgeError(`${method} ${path}: the forge did not answer (${(error as Error).name === "TimeoutError" ? "timed out" : (error as Error).message})`, null);
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text.slice(0, 200);
      try {
        const parsed = JSON.parse(text) as Json;
        detail = (str(parsed.message) || str(parsed.error) || detail).slice(0, 200);
      } catch {
        // not JSON: the text as is
      }
      throw new ForgeError(`${method} ${path}: ${res.status} ${detail}`.trim(), res.status);
    }
    try {
      return text ? (JSON.parse(text) as unknown) : null;
    } catch {
      throw new ForgeError(`${method} ${path}: the forge's answer is not JSON`, res.status);
    }
  };
}

/** GitHub's issues API (`/repos/{owner}/{repo}/issues`), which GitHub Enterprise Server and Gitea serve too. */
function githubTracker(options: IssueTrackerOptions): IssueTracker {
  const call = caller(options, {
    Authorization: `Bearer ${options.token}`,
    Accept: "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
  });
  const ref = (raw: unknown): IssueRef => {
    const issue = raw as Json;
    if (typeof issue?.number !== "number") throw new ForgeError("the forge's issue has no number", null);
    return { number: issue.number, url: str(issue.html_url) || str(issue.url), state: issue.state === "closed" ? "closed" : "open" };
  };
  const path = (repo: string): string => `/repos/${repo.split("/").map(encodeURIComponent).join("/")}/issues`;
  return {
    async findIssue(repo, label) {
      const list = await call("GET", `${path(repo)}?state=all&labels=${encodeURIComponent(label)}&per_page=10`);
      // The issues list includes pull requests on GitHub; a campaign's label is only ever on an issue.
      const first = Array.isArray(list) ? (list as Json[]).find((i) => !i.pull_request) : undefined;
      return first ? ref(first) : null;
    },
    async createIssue(repo, input) {
      return ref(await call("POST", path(repo), { title: input.title, body: input.body, labels: input.labels }));
    },
    async updateIssue(repo, number, patch) {
      const body: Json = { ...patch };
      if (patch.state === "closed") body.state_reason = "completed";
      return ref(await call("PATCH", `${path(repo)}/${number}`, body));
    },
  };
}

/** GitLab's issues API (`/projects/{id}/issues`, the project named by its URL-encoded path). */
function gitlabTracker(options: IssueTrackerOptions): IssueTracker {
  const call = caller(options, { "PRIVATE-TOKEN": options.token, Accept: "application/json" });
  const ref = (raw: unknown): IssueRef => {
    const issue = raw as Json;
    if (typeof issue?.iid !== "number") throw new ForgeError("the forge's issue has no iid", null);
    return { number: issue.iid, url: str(issue.web_url), state: issue.state === "closed" ? "closed" : "open" };
  };
  const path = (repo: string): string => `/projects/${encodeURIComponent(repo)}/issues`;
  return {
    async findIssue(repo, label) {
      const list = await call("GET", `${path(repo)}?state=all&labels=${encodeURIComponent(label)}&per_page=10`);
      const first = Array.isArray(list) ? (list as Json[])[0] : undefined;
      return first ? ref(first) : null;
    },
    async createIssue(repo, input) {
      return ref(await call("POST", path(repo), { title: input.title, description: input.body, labels: input.labels.join(",") }));
    },
    async updateIssue(repo, number, patch) {
      const body: Json = {};
      if (patch.title !== undefined) body.title = patch.title;
      if (patch.body !== undefined) body.description = patch.body;
      if (patch.state) body.state_event = patch.state === "closed" ? "close" : "reopen";
      return ref(await call("PUT", `${path(repo)}/${number}`, body));
    },
  };
}
