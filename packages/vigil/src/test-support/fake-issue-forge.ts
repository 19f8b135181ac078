import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeIssue {
  /** GitHub's `number` / GitLab's `iid`. */
  number: number;
  repo: string;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
}

/**
 * A forge's issues REST API on 127.0.0.1, following the documented shapes: GitHub's
 * (`/repos/{owner}/{repo}/issues`, Bearer token, `number`, `html_url`, PATCH `state`), which GitHub
 * Enterprise Server and Gitea share, or GitLab's (`/projects/{url-encoded path}/issues`,
 * `PRIVATE-TOKEN`, `iid`, `web_url`, `description`, PUT `state_event`). Only `repos` exist; any other
 * project is 404, a wrong token 401.
 */
export interface FakeIssueForge {
  apiUrl: string;
  issues: FakeIssue[];
  /** "METHOD path" of each request, in order. */
  requests: string[];
  /** Authorization headers seen (to check a token is sent, and only to its forge). */
  failNext(status: number): void;
  close(): Promise<void>;
}

export async function startFakeIssueForge(options: { kind: "github" | "gitlab"; token: string; repos: string[] }): Promise<FakeIssueForge> {
  const issues: FakeIssue[] = [];
  const requests: string[] = [];
  let failing: number | null = null;
  const prefix = options.kind === "gitlab" ? "/api/v4" : "/api/v3";
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      requests.push(`${req.method} ${url.pathname}`);
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
      const authorized = options.kind === "gitlab" ? req.headers["private-token"] === options.token : req.headers.authorization === `Bearer ${options.token}`;
      if (!authorized) return send(401, options.kind === "gitlab" ? { message: "401 Unauthorized" } : { message: "Bad credentials" });
      if (failing !== null) {
        const status = failing;
        failing = null;
        return send(status, { message: "Server Error" });
      }
      const match =
        options.kind === "gitlab"
          ? new RegExp(`^${prefix}/projects/([^/]+)/issues(?:/(\\d+))?$`).exec(url.pathname)
          : new RegExp(`^${prefix}/repos/([^/]+/[^/]+)/issues(?:/(\\d+))?$`).exec(url.pathname);
      const repo = match ? decodeURIComponent(match[1]!) : null;
      if (!match || !repo || !options.repos.includes(repo)) return send(404, { message: options.kind === "gitlab" ? "404 Project Not Found" : "Not Found" });
      const shape = (i: FakeIssue): Record<string, unknown> =>
        options.kind === "gitlab"
          ? { iid: i.number, id: 1000 + i.number, title: i.title, description: i.body, labels: i.labels, state: i.state === "open" ? "opened" : "closed", web_url: `http://forge.test/${i.repo}/-/issues/${i.number}` }
          : { number: i.number, id: 1000 + i.number, title: i.title, body: i.body, labels: i.labels.map((name) => ({ name })), state: i.state, html_url: `http://forge.test/${i.repo}/issues/${i.number}`, url: `${url.origin}${prefix}/repos/${i.repo}/issues/${i.number}` };
      const number = match[2] ? Number(match[2]) : null;
      const body = req.method === "GET" ? {} : await readJson(req);
      if (body === null) return send(400, { message: "Problems parsing JSON" });
      if (req.method === "GET" && number === null) {
        const labels = (url.searchParams.get("labels") ?? "").split(",").filter(Boolean);
        const state = url.searchParams.get("state") ?? (options.kind === "gitlab" ? "all" : "open");
        const list = issues.filter(
          (i) => i.repo === repo && labels.every((l) => i.labels.includes(l)) && (state === "all" || i.state === (state === "opened" ? "open" : state)),
        );
        return send(200, list.map(shape));
      }
      if (req.method === "POST" && number === null) {
        const title = body.title;
        if (typeof title !== "string" || title === "") return send(options.kind === "gitlab" ? 400 : 422, { message: "title is missing" });
        const labels = options.kind === "gitlab" ? (typeof body.labels === "string" ? body.labels : "").split(",").filter(Boolean) : ((body.labels as string[] | undefined) ?? []);
        const issue: FakeIssue = {
          number: issues.filter((i) => i.repo === repo).length + 1,
          repo,
          title,
          body: ((v: unknown) => (typeof v === "string" ? v : ""))(options.kind === "gitlab" ? body.description : body.body),
          labels,
          state: "open",
        };
        issues.push(issue);
        return send(201, shape(issue));
      }
      const issue = issues.find((i) => i.repo === repo && i.number === number);
      if (!issue) return send(404, { message: "Not Found" });
      if (options.kind === "github" && req.method === "PATCH") {
        if (typeof body.title === "string") issue.title = body.title;
        if (typeof body.body === "string") issue.body = body.body;
        if (body.state === "open" || body.state === "closed") issue.state = body.state;
        return send(200, shape(issue));
      }
      if (options.kind === "gitlab" && req.method === "PUT") {
        if (typeof body.title === "string") issue.title = body.title;
        if (typeof body.description === "string") issue.body = body.description;
        if (body.state_event === "close") issue.state = "closed";
        if (body.state_event === "reopen") issue.state = "open";
        return send(200, shape(issue));
      }
      return send(405, { message: "Method Not Allowed" });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    issues,
    requests,
    failNext(status) {
      failing = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
