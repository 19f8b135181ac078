import { spawn } from "node:child_process";
import { basename, dirname } from "node:path";
import { Readable } from "node:stream";
import type { Context, Hono } from "hono";
import type { AlertStore, TokenScope } from "../alerts/alert-store.js";
import type { Repository, User } from "../alerts/types.js";
import { readToken } from "../api/authenticate.js";
import { hasWriteAccess } from "../api/repo-access.js";
import { initBareRepository } from "./repository-mirror.js";
import { isMirrorPathInside } from "./repository-service.js";

export interface GitHttpOptions {
  store: AlertStore;
  /** Repositories live under `<dataDir>/repos`; one stored elsewhere (an old row) is not served. */
  dataDir: string;
  /** Extra environment for git and its hooks (the pre-receive hook finds the store through it). */
  hookEnv: Record<string, string>;
  /** Called after a push was accepted, to scan it for every pattern. */
  onPushAccepted?: (repo: Repository, pusher: User) => void;
}

const SERVICES = new Set(["git-upload-pack", "git-receive-pack"]);
/** Scopes that let a token clone, fetch and push (as `requireScopes`, `site_admin` stands for every scope). */
const GIT_SCOPES: readonly TokenScope[] = ["repo", "site_admin"];

/**
 * Git smart HTTP (`git clone/push http://HOST/OWNER/NAME.git`) through `git http-backend`, with
 * token authentication (the token as the password). Reading needs any role in the repository or
 * organization; pushing needs write access. Push protection runs as the repository's pre-receive
 * hook, which `git receive-pack` calls before any ref moves.
 */
export function mountGitHttp(app: Hono, options: GitHttpOptions): void {
  app.on(["GET", "POST"], "/:owner/:repo{.+\\.git}/*", async (c) => handle(c, options));
}

async function handle(c: Context, options: GitHttpOptions): Promise<Response> {
  const owner = c.req.param("owner") ?? "";
  const repoParam = c.req.param("repo") ?? "";
  const name = repoParam.slice(0, -".git".length);
  const url = new URL(c.req.url);
  const rest = url.pathname.slice(`/${owner}/${repoParam}`.length);
  const service = rest === "/info/refs" ? url.searchParams.get("service") : rest.slice(1);
  if (!service || !SERVICES.has(service)) return c.text("Not Found\n", 404);

  const challenge = (): Response => c.text("Authentication required\n", 401, { "WWW-Authenticate": 'Basic realm="Vigil"' });
  const token = readToken(c.req.header("authorization"));
  if (!token) return challenge();
  const found = await options.store.authenticateToken(token);
  if (!found) return challenge();
  const { user } = found;
  const repo = await options.store.getRepository(owner, name);
  const roles = repo ? await options.store.getRoles(user.id, repo.id) : null;
  const canRead = repo && roles && (user.siteAdmin || roles.orgRole !== null || roles.repoRole !== null);
  if (!repo || !roles || !canRead || !isMirrorPathInside(options.dataDir, repo.mirrorPath)) return c.text("Repository not found\n", 404);
  if (service === "git-receive-pack" && !hasWriteAccess(user, roles)) return c.text("Write access to the repository is required\n", 403);
  // The API's scopes apply to git too: code is read and written with a token that has `repo`. The
  // check comes after access, so that a missing scope never reveals that a repository exists.
  if (!GIT_SCOPES.some((scope) => found.token.scopes.includes(scope))) {
    return c.text(`Resource not accessible by personal access token: git needs a token with the repo scope (this one has ${found.token.scopes.join(", ") || "none"})\n`, 403);
  }
  if (repo.sourceUrl !== null && service === "git-receive-pack") return c.text("This repository is a mirror; push to its source\n", 403);
  if (repo.sourceUrl === null) await initBareRepository(repo.mirrorPath);

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...options.hookEnv,
    // The path comes from the stored repository, never from the URL: the URL's names only looked it up.
    GIT_PROJECT_ROOT: dirname(repo.mirrorPath),
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: `/${basename(repo.mirrorPath)}${rest}`,
    REQUEST_METHOD: c.req.method,
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: c.req.header("content-type") ?? "",
    REMOTE_USER: user.login,
    REMOTE_ADDR: "127.0.0.1",
    GIT_PROTOCOL: c.req.header("git-protocol") ?? "",
    VIGIL_PUSHER_ID: String(user.id),
    VIGIL_PUSHER_LOGIN: user.login,
    VIGIL_REPOSITORY: repo.fullName,
  };
  const encoding = c.req.header("content-encoding");
  if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
  const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
  const stderr: Buffer[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const body = c.req.raw.body;
  if (body) Readable.fromWeb(body).pipe(child.stdin);
  else child.stdin.end();
  child.stdin.on("error", () => undefined);

  const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  if (service === "git-receive-pack" && c.req.method === "POST") {
    void exited.then((code) => {
      if (code === 0) options.onPushAccepted?.(repo, user);
    });
  }
  return cgiResponse(child.stdout);
}

/** Splits CGI output into a status, headers and a streamed body. */
async function cgiResponse(stdout: Readable): Promise<Response> {
  const iterator = stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let end = -1;
  while (end < 0) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
    end = head.indexOf("\r\n\r\n");
  }
  if (end < 0) return new Response("git http-backend failed\n", { status: 500 });
  const headers = new Headers();
  let status = 200;
  for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
    else headers.append(key, value);
  }
  const rest = head.subarray(end + 4);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (rest.length > 0) controller.enqueue(new Uint8Array(rest));
    },
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
  });
  return new Response(stream, { status, headers });
}
