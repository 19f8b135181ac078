import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenScope } from "../alerts/alert-store.js";
import { readGitObject } from "../sources/git/git-objects.js";
import { createApiFixture, type ApiFixture } from "../test-support/api-fixture.js";
import { DOCS_URL } from "./api-error.js";
import { createApi } from "./create-api.js";
import { createWebPages, SESSION_COOKIE, SESSION_TTL_MS } from "../web/pages.js";

const BASE = "http://vigil.test";
const random = new ExampleRandom(0x11a9);
let fx: ApiFixture;
let app: Hono;
let work: string;
/** A real commit in acme/api's git directory that leaks `leaked`, recorded as alert number `alertNumber`. */
let leak: { commit: string; blob: string; secret: string; alertNumber: number };

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 2 });
  app = new Hono();
  app.route(
    "/api/v3",
    createApi({
      store: fx.store,
      pushProtection: fx.pushProtection,
      readGitObject: (dir, id, maxSize) => readGitObject(dir, id, { maxSize }),
    }),
  );
  // The web pages: an alert's html_url is its page.
  app.route("/", createWebPages({ store: fx.store, sessions: fx.sessions }));

  // acme/api's git directory holds a real history: one commit that adds a token to a file.
  work = mkdtempSync(join(tmpdir(), "vigil-lifecycle-"));
  const source = join(work, "source");
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Dev",
        GIT_AUTHOR_EMAIL: "dev@example.com",
        GIT_COMMITTER_NAME: "Dev",
        GIT_COMMITTER_EMAIL: "dev@example.com",
        GIT_AUTHOR_DATE: "2026-11-01T10:00:00+02:00",
        GIT_COMMITTER_DATE: "2026-11-01T10:00:00+02:00",
      },
    }).trim();
  execFileSync("git", ["init", "-q", "-b", "main", source]);
  const secret = random.githubToken("ghp");
  writeFileSync(join(source, "deploy config.env"), `# deploy\nGITHUB_TOKEN=${secret}\n`);
  git(source, "add", ".");
  git(source, "commit", "-qm", "add deploy config");
  execFileSync("git", ["clone", "-q", "--mirror", source, fx.repo.mirrorPath]);
  const commit = git(source, "rev-parse", "HEAD");
  const blob = git(source, "rev-parse", "HEAD:deploy config.env");
  const result = await fx.store.recordDetections(fx.repo.id, [
    {
      secretType: "github_personal_access_token",
      secretTypeDisplayName: "GitHub Personal Access Token",
      provider: "GitHub",
      secretCategory: "default",
      secret,
      isBase64Encoded: false,
      location: {
        type: "commit",
        details: {
          path: "deploy config.env",
          startLine: 2,
          endLine: 2,
          startColumn: 14,
          endColumn: 53,
          blobSha: blob,
          commitSha: commit,
        },
      },
    },
  ]);
  leak = { commit, blob, secret, alertNumber: result.created[0]!.number };
});
afterAll(async () => {
  await fx.close();
  rmSync(work, { recursive: true, force: true });
});

function call(path: string, token: string | null, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  if (token) headers.authorization = `token ${token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return Promise.resolve(
    app.request(`${BASE}/api/v3${path}`, {
      method: init.method ?? "GET",
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    }),
  );
}

let userCount = 0;
async function userWithToken(
  scopes: TokenScope[],
  options: { siteAdmin?: boolean; repoRole?: "admin" | "read" | "write"; orgRole?: "owner" | "security_manager" } = {},
) {
  const user = await fx.store.createUser({ login: `user-${++userCount}`, siteAdmin: options.siteAdmin ?? false });
  if (options.repoRole) await fx.store.setRepoRole(fx.repo.id, user.id, options.repoRole);
  if (options.orgRole) await fx.store.setOrgRole(fx.repo.orgId, user.id, options.orgRole);
  const { token, record } = await fx.store.createToken({ userId: user.id, scopes });
  return { user, token, record };
}

describe("tokens through the API (Vigil's extension)", () => {
  it("a user lists their own tokens, never the token itself; a site admin lists everybody's", async () => {
    const ann = await userWithToken(["user"]);
    const second = await fx.store.createToken({
      userId: ann.user.id,
      scopes: ["repo"],
      note: "laptop",
      expiresAt: "2030-01-01T00:00:00Z",
    });
    const res = await call("/vigil/tokens", ann.token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>[];
    expect(body.map((t) => t.id)).toEqual([ann.record.id, second.record.id]);
    expect(body[1]).toMatchObject({
      id: second.record.id,
      url: `${BASE}/api/v3/vigil/tokens/${second.record.id}`,
      user: { login: ann.user.login },
      note: "laptop",
      scopes: ["repo"],
      expires_at: "2030-01-01T00:00:00Z",
      revoked_at: null,
      last_used_at: null,
      state: "active",
    });
    expect(body[0]!.last_used_at).toEqual(expect.any(String));
    const text = JSON.stringify(body);
    expect(text).not.toContain(ann.token);
    expect(text).not.toContain(second.token);
    expect(text).not.toContain(second.token.slice(8));

    const all = (await (await call("/vigil/tokens", fx.tokens.admin)).json()) as { user: { login: string } }[];
    expect(new Set(all.map((t) => t.user.login))).toEqual(
      new Set(["admin", "alice", "bob", "carol", "dave", "erin", ann.user.login, ...all.map((t) => t.user.login)]),
    );
    expect(all.length).toBeGreaterThan(body.length);
    const filtered = (await (await call(`/vigil/tokens?user=${ann.user.login}`, fx.tokens.admin)).json()) as unknown[];
    expect(filtered).toHaveLength(2);
  });

  it("revoking a token makes it answer 401; revoking twice is still 204; a site admin may revoke anybody's", async () => {
    const ann = await userWithToken(["user", "repo"]);
    const other = await fx.store.createToken({ userId: ann.user.id, scopes: ["repo"] });
    expect((await call(`/vigil/tokens/${other.record.id}`, ann.token)).status).toBe(200);
    expect((await call(`/vigil/tokens/${other.record.id}`, ann.token, { method: "DELETE" })).status).toBe(204);
    expect((await call("/user", other.token)).status).toBe(401);
    expect(await (await call(`/vigil/tokens/${other.record.id}`, ann.token)).json()).toMatchObject({
      state: "revoked",
      revoked_at: expect.any(String),
    });
    expect((await call(`/vigil/tokens/${other.record.id}`, ann.token, { method: "DELETE" })).status).toBe(204);

    expect((await call(`/vigil/tokens/${ann.record.id}`, fx.tokens.admin, { method: "DELETE" })).status).toBe(204);
    const res = await call("/user", ann.token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: "Bad credentials" });
  });

  it("an expired token answers 401", async () => {
    const user = await fx.store.createUser({ login: "expired-user" });
    const { token } = await fx.store.createToken({
      userId: user.id,
      scopes: ["user"],
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect((await call("/vigil/tokens", token)).status).toBe(401);
  });

  it("401 anonymous, 404 for another user's token, 403 without the user scope", async () => {
    const ann = await userWithToken(["user"]);
    const ben = await userWithToken(["repo", "security_events", "admin:org"]);
    for (const [method, path] of [
      ["GET", "/vigil/tokens"],
      ["GET", `/vigil/tokens/${ann.record.id}`],
      ["DELETE", `/vigil/tokens/${ann.record.id}`],
    ] as const) {
      expect((await call(path, null, { method })).status, `${method} ${path}`).toBe(401);
    }
    for (const method of ["GET", "DELETE"]) {
      const res = await call(`/vigil/tokens/${ann.record.id}`, ben.token, { method });
      expect(res.status).toBe(404);
      expect((await call("/vigil/tokens/999999", ann.token, { method })).status).toBe(404);
      expect((await call("/vigil/tokens/abc", ann.token, { method })).status).toBe(404);
      const forbidden = await call(`/vigil/tokens/${ben.record.id}`, ben.token, { method });
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers.get("x-accepted-oauth-scopes")).toBe("user");
    }
    expect((await call("/vigil/tokens", ben.token)).status).toBe(403);
    expect((await call("/user", ann.token)).status).toBe(200);
  });
});

describe("DELETE /repos/{owner}/{repo}", () => {
  it("401 anonymous; 404 for everybody but admins; 403 for an admin without delete_repo", async () => {
    const path = "/repos/acme/web";
    expect((await call(path, null, { method: "DELETE" })).status).toBe(401);
    const outsider = await userWithToken(["repo", "delete_repo"]);
    expect((await call(path, outsider.token, { method: "DELETE" })).status).toBe(404);
    const manager = await userWithToken(["repo", "security_events", "delete_repo"], { orgRole: "security_manager" });
    expect((await call(path, manager.token, { method: "DELETE" })).status).toBe(404);
    const writer = await fx.store.createUser({ login: "web-writer" });
    await fx.store.setRepoRole(fx.otherRepo.id, writer.id, "write");
    const writerToken = (await fx.store.createToken({ userId: writer.id, scopes: ["repo", "delete_repo"] })).token;
    expect((await call(path, writerToken, { method: "DELETE" })).status).toBe(404);
    const owner = await userWithToken(["repo"], { orgRole: "owner" });
    const forbidden = await call(path, owner.token, { method: "DELETE" });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("x-accepted-oauth-scopes")).toBe("delete_repo");
    expect(await fx.store.getRepository("acme", "web")).not.toBeNull();
    expect((await call("/repos/acme/nope", owner.token, { method: "DELETE" })).status).toBe(404);
  });

  it("an organization owner with delete_repo removes the repository and what was recorded for it", async () => {
    const repo = await fx.store.createRepository({
      owner: "acme",
      name: "doomed",
      sourceUrl: null,
      mirrorPath: join(work, "doomed.git"),
    });
    await fx.store.recordDetections(repo.id, [{ ...detectionFor(random.githubToken("ghp")) }]);
    const owner = await userWithToken(["repo", "security_events", "delete_repo"], { orgRole: "owner" });
    expect((await call("/repos/acme/doomed/secret-scanning/alerts/1", owner.token)).status).toBe(200);
    expect((await call("/repos/acme/doomed", owner.token, { method: "DELETE" })).status).toBe(204);
    expect((await call("/repos/acme/doomed", owner.token)).status).toBe(404);
    expect((await call("/repos/acme/doomed/secret-scanning/alerts/1", owner.token)).status).toBe(404);
    expect(await fx.store.getRepository("acme", "doomed")).toBeNull();
    expect(await fx.store.getOrganization("acme")).not.toBeNull();
  });
});

function detectionFor(secret: string) {
  return {
    secretType: "github_personal_access_token",
    secretTypeDisplayName: "GitHub Personal Access Token",
    provider: "GitHub",
    secretCategory: "default" as const,
    secret,
    isBase64Encoded: false,
    location: {
      type: "commit" as const,
      details: {
        path: "x.env",
        startLine: 1,
        endLine: 1,
        startColumn: 1,
        endColumn: 40,
        blobSha: "b".repeat(40),
        commitSha: "c".repeat(40),
      },
    },
  };
}

describe("git objects: what commit_url and blob_url name", () => {
  it("answers GitHub's git commit and blob objects from the repository's git directory", async () => {
    const commit = await call(`/repos/acme/api/git/commits/${leak.commit}`, fx.tokens.reader);
    expect(commit.status).toBe(200);
    expect(await commit.json()).toMatchObject({
      sha: leak.commit,
      url: `${BASE}/api/v3/repos/acme/api/git/commits/${leak.commit}`,
      author: { name: "Dev", email: "dev@example.com", date: "2026-11-01T08:00:00Z" },
      committer: { name: "Dev", email: "dev@example.com", date: "2026-11-01T08:00:00Z" },
      message: "add deploy config",
      tree: { sha: expect.stringMatching(/^[0-9a-f]{40}$/) },
      parents: [],
      verification: { verified: false },
    });
    const blob = await call(`/repos/acme/api/git/blobs/${leak.blob}`, fx.tokens.reader);
    expect(blob.status).toBe(200);
    const json = (await blob.json()) as { content: string; encoding: string; size: number };
    expect(json.encoding).toBe("base64");
    expect(Buffer.from(json.content, "base64").toString("utf8")).toBe(`# deploy\nGITHUB_TOKEN=${leak.secret}\n`);
    expect(json.size).toBe(`# deploy\nGITHUB_TOKEN=${leak.secret}\n`.length);
  });

  it("404 for an unknown object, a malformed id, or the wrong kind of object", async () => {
    expect((await call(`/repos/acme/api/git/commits/${"0".repeat(40)}`, fx.tokens.admin)).status).toBe(404);
    expect((await call("/repos/acme/api/git/commits/HEAD", fx.tokens.admin)).status).toBe(404);
    expect((await call(`/repos/acme/api/git/commits/${leak.blob}`, fx.tokens.admin)).status).toBe(404);
    expect((await call(`/repos/acme/api/git/blobs/${leak.commit}`, fx.tokens.admin)).status).toBe(404);
  });

  it.each(["commits", "blobs"])(
    "git/%s: 401 anonymous, 404 without a role, 403 without the repo scope",
    async (kind) => {
      const path = `/repos/acme/api/git/${kind}/${kind === "commits" ? leak.commit : leak.blob}`;
      expect((await call(path, null)).status).toBe(401);
      const outsider = await userWithToken(["repo"]);
      expect((await call(path, outsider.token)).status).toBe(404);
      const reader = await userWithToken(["security_events"], { repoRole: "read" });
      const res = await call(path, reader.token);
      expect(res.status).toBe(403);
      expect(res.headers.get("x-accepted-oauth-scopes")).toBe("repo");
    },
  );
});

describe("git objects too large to answer", () => {
  it("are described without being read, and answered 403 as GitHub does past 100 MB", async () => {
    expect(await readGitObject(fx.repo.mirrorPath, leak.blob, { maxSize: 10 })).toEqual({
      type: "blob",
      size: expect.any(Number),
      content: null,
    });
    const small = createApi({ store: fx.store, readGitObject: (dir, id) => readGitObject(dir, id, { maxSize: 10 }) });
    const res = await small.request(`${BASE}/repos/acme/api/git/blobs/${leak.blob}`, {
      headers: { authorization: `token ${fx.tokens.admin}` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      message: expect.stringMatching(/^This API returns blobs up to 100 MB in size; this one is \d+ bytes$/),
    });
  });
});

describe("GET /users/{username}", () => {
  it("answers users and organizations (the url of every user and owner object); 401 anonymous, 404 unknown", async () => {
    expect(await (await call("/users/alice", fx.tokens.reader)).json()).toMatchObject({
      login: "alice",
      type: "User",
      url: `${BASE}/api/v3/users/alice`,
    });
    expect(await (await call("/users/acme", fx.tokens.reader)).json()).toMatchObject({
      login: "acme",
      type: "Organization",
    });
    expect((await call("/users/nobody-here", fx.tokens.reader)).status).toBe(404);
    expect((await call("/users/alice", null)).status).toBe(401);
  });
});

describe("web_url_template", () => {
  it("PATCH /repos/{owner}/{repo} sets it (422 when malformed); locations' html_url follows it", async () => {
    const bad = await call("/repos/acme/api", fx.tokens.repoAdmin, {
      method: "PATCH",
      body: { web_url_template: "https://git.example/{owner}/{branch}" },
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      message: expect.stringContaining("{branch}"),
      errors: [{ resource: "Repository", field: "web_url_template", code: "invalid" }],
    });
    expect(
      (await call("/repos/acme/api", fx.tokens.repoAdmin, { method: "PATCH", body: { web_url_template: 42 } })).status,
    ).toBe(422);

    const template = "https://git.example/{owner}/{repo}/src/commit/{commit}/{path}#L{line}-L{end_line}";
    const res = await call("/repos/acme/api", fx.tokens.repoAdmin, {
      method: "PATCH",
      body: { web_url_template: template },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ web_url_template: template });
    const [location] = (await (
      await call(`/repos/acme/api/secret-scanning/alerts/${leak.alertNumber}/locations`, fx.tokens.repoAdmin)
    ).json()) as { details: Record<string, unknown> }[];
    expect(location!.details).toMatchObject({
      html_url: `https://git.example/acme/api/src/commit/${leak.commit}/deploy%20config.env#L2-L2`,
      commit_url: `${BASE}/api/v3/repos/acme/api/git/commits/${leak.commit}`,
      blob_url: `${BASE}/api/v3/repos/acme/api/git/blobs/${leak.blob}`,
    });

    const cleared = await call("/repos/acme/api", fx.tokens.repoAdmin, {
      method: "PATCH",
      body: { web_url_template: null },
    });
    expect(await cleared.json()).toMatchObject({ web_url_template: null });
    const [fallback] = (await (
      await call(`/repos/acme/api/secret-scanning/alerts/${leak.alertNumber}/locations`, fx.tokens.repoAdmin)
    ).json()) as { details: Record<string, unknown> }[];
    expect(fallback!.details.html_url).toBe(`${BASE}/api/v3/repos/acme/api/git/blobs/${leak.blob}`);
  });
});

/** Every string field named `url` or `*_url` in a JSON value, with its path. */
function urlsIn(value: unknown, path = "$"): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => urlsIn(item, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]): [string, string][] =>
    typeof inner === "string" && (key === "url" || key.endsWith("_url"))
      ? [[`${path}.${key}`, inner]]
      : urlsIn(inner, `${path}.${key}`),
  );
}

/**
 * GitHub's `simple-user` and `simple-repository` carry link fields for GitHub features Vigil does
 * not have (followers, forks, hooks…); they are kept because GitHub's schema requires them, and are
 * the only URLs this test leaves out.
 */
const GITHUB_ONLY_FIELDS = new Set([
  "followers_url",
  "following_url",
  "gists_url",
  "starred_url",
  "subscriptions_url",
  "organizations_url",
  "repos_url",
  "events_url",
  "received_events_url",
  "avatar_url",
  "archive_url",
  "assignees_url",
  "blobs_url",
  "branches_url",
  "collaborators_url",
  "comments_url",
  "commits_url",
  "compare_url",
  "contents_url",
  "contributors_url",
  "deployments_url",
  "downloads_url",
  "forks_url",
  "git_commits_url",
  "git_refs_url",
  "git_tags_url",
  "hooks_url",
  "issue_comment_url",
  "issue_events_url",
  "issues_url",
  "keys_url",
  "labels_url",
  "languages_url",
  "merges_url",
  "milestones_url",
  "notifications_url",
  "pulls_url",
  "releases_url",
  "stargazers_url",
  "statuses_url",
  "subscribers_url",
  "subscription_url",
  "tags_url",
  "teams_url",
  "trees_url",
]);

describe("every URL the API hands out resolves", () => {
  it("in alerts (repository and organization lists, one alert, after an update), locations, scan history and errors", async () => {
    const template = "https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}";
    await call("/repos/acme/api", fx.tokens.admin, { method: "PATCH", body: { web_url_template: template } });
    // An alert resolved by and assigned to users, so that user objects appear.
    await call(`/repos/acme/api/secret-scanning/alerts/${leak.alertNumber}`, fx.tokens.repoAdmin, {
      method: "PATCH",
      body: { state: "resolved", resolution: "revoked", assignee: "alice" },
    });
    const bodies: unknown[] = [];
    for (const path of [
      "/repos/acme/api/secret-scanning/alerts",
      "/orgs/acme/secret-scanning/alerts",
      "/enterprises/vigil/secret-scanning/alerts?after=",
      `/repos/acme/api/secret-scanning/alerts/${leak.alertNumber}`,
      `/repos/acme/api/secret-scanning/alerts/${leak.alertNumber}/locations`,
      "/repos/acme/api",
      "/repos/acme/api/secret-scanning/scan-history",
      "/vigil/tokens",
    ]) {
      const res = await call(path, fx.tokens.admin);
      expect(res.status, path).toBe(200);
      const body: unknown = await res.json();
      // The fixture's other alerts name made-up commits; the lists are checked on the alert whose commit is real.
      bodies.push(
        Array.isArray(body) && path.includes("/alerts") && !path.endsWith("/locations")
          ? body.filter(
              (a: { number: number; repository?: { name: string } }) =>
                a.number === leak.alertNumber && (a.repository?.name ?? "api") === "api",
            )
          : body,
      );
    }
    expect(bodies.slice(0, 3).every((b) => Array.isArray(b) && b.length === 1)).toBe(true);
    const errors: unknown[] = [];
    for (const [path, token, method, body] of [
      ["/repos/acme/api/secret-scanning/alerts", null, "GET", undefined],
      ["/repos/acme/nope/secret-scanning/alerts", fx.tokens.admin, "GET", undefined],
      ["/repos/acme/api/secret-scanning/alerts", fx.tokens.scopeless, "GET", undefined],
      [`/repos/acme/api/secret-scanning/alerts/${leak.alertNumber}`, fx.tokens.admin, "PATCH", { state: "bogus" }],
      [`/repos/acme/api/secret-scanning/alerts/${leak.alertNumber}`, fx.tokens.admin, "PATCH", "not json"],
    ] as const) {
      const res = await call(path, token, { method, ...(body !== undefined ? { body } : {}) });
      expect(res.status).toBeGreaterThanOrEqual(400);
      errors.push(await res.json());
    }

    const urls = urlsIn([...bodies, ...errors]).filter(
      ([path]) => !GITHUB_ONLY_FIELDS.has(path.slice(path.lastIndexOf(".") + 1)),
    );
    expect(urls.length).toBeGreaterThan(20);
    const headings = new Set(
      [...readFileSync(new URL("../../../../docs/api.md", import.meta.url), "utf8").matchAll(/^#+ (.+)$/gm)].map(
        ([, title]) =>
          title!
            .toLowerCase()
            .replace(/[^a-z0-9 -]/g, "")
            .replace(/ /g, "-"),
      ),
    );
    const checked = new Set<string>();
    const admin = (await fx.store.authenticateToken(fx.tokens.admin))!;
    const { id: session } = await fx.sessions.create({
      userId: admin.user.id,
      tokenId: admin.token.id,
      ttlMs: SESSION_TTL_MS,
    });
    for (const [path, url] of urls) {
      if (checked.has(url)) continue;
      checked.add(url);
      if (url.startsWith(`${BASE}/api/v3/`)) {
        const res = await call(url.slice(`${BASE}/api/v3`.length), fx.tokens.admin);
        expect(res.status, `${path}: ${url}`).toBe(200);
      } else if (url.startsWith(DOCS_URL)) {
        const anchor = url.slice(DOCS_URL.length);
        expect(anchor, `${path}: ${url}`).toMatch(/^#/);
        expect(headings.has(anchor.slice(1)), `${path}: ${url} (docs/api.md has no such heading)`).toBe(true);
      } else if (/^http:\/\/vigil\.test\/acme\/api\/security\/secret-scanning\/\d+$/.test(url)) {
        const res = await app.request(url, { headers: { cookie: `${SESSION_COOKIE}=${session}` } });
        expect(res.status, `${path}: ${url}`).toBe(200);
        expect(await res.text(), `${path}: ${url}`).toContain("Timeline");
      } else {
        expect(url, path).toBe(`https://git.example/acme/api/blob/${leak.commit}/deploy%20config.env#L2`);
      }
    }
    expect([...checked].some((url) => url.startsWith("https://git.example/"))).toBe(true);
    expect([...checked].some((url) => url.includes("/git/blobs/"))).toBe(true);
    expect([...checked].some((url) => url.includes("/git/commits/"))).toBe(true);
    expect([...checked].some((url) => url.includes("/users/"))).toBe(true);
    expect([...checked].some((url) => url.startsWith(DOCS_URL))).toBe(true);
  });
});

describe("a repository removed through the API loses its git directory when the server supplies the removal", () => {
  it("calls the server's removal", async () => {
    const gitDir = join(work, "removed.git");
    execFileSync("git", ["init", "-q", "--bare", gitDir]);
    const repo = await fx.store.createRepository({
      owner: "acme",
      name: "removed",
      sourceUrl: null,
      mirrorPath: gitDir,
    });
    const removed: string[] = [];
    const api = createApi({
      store: fx.store,
      removeRepository: async (r) => {
        removed.push(r.fullName);
        await fx.store.deleteRepository(r.id);
        rmSync(r.mirrorPath, { recursive: true, force: true });
      },
    });
    const res = await api.request(`${BASE}/repos/acme/removed`, {
      method: "DELETE",
      headers: { authorization: `token ${fx.tokens.admin}` },
    });
    expect(res.status).toBe(204);
    expect(removed).toEqual(["acme/removed"]);
    expect(existsSync(gitDir)).toBe(false);
    expect(await fx.store.getRepositoryById(repo.id)).toBeNull();
  });
});
