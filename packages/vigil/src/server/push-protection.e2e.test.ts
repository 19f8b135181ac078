import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";

const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES_URL;
if (!POSTGRES_URL) console.warn("push-protection.e2e: VIGIL_TEST_POSTGRES_URL is not set; the PostgreSQL run is skipped");

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "Dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_COMMITTER_NAME: "Dev", GIT_COMMITTER_EMAIL: "dev@example.com", GIT_TERMINAL_PROMPT: "0" };

describe.each([
  { dialect: "sqlite", url: undefined as string | undefined },
  { dialect: "postgres", url: POSTGRES_URL },
])("push protection through vigil serve ($dialect)", ({ dialect, url }) => {
  const skip = dialect === "postgres" && !url;
  let server: RunningServer;
  let work: string;
  let devToken: string;
  let adminToken: string;
  let admin: Octokit;
  let dev: Octokit;
  const random = new ExampleRandom(dialect === "sqlite" ? 61 : 62);

  const git = (...args: string[]) => spawnSync("git", args, { cwd: work, env: GIT_ENV, encoding: "utf8" });
  const commitFile = (name: string, content: string): void => {
    writeFileSync(join(work, name), content);
    expect(git("add", name).status).toBe(0);
    expect(git("commit", "-qm", `add ${name}`).status).toBe(0);
  };
  const push = () => git("push", "origin", "HEAD:main");
  const remoteMain = (): string => (git("ls-remote", "origin", "refs/heads/main").stdout.split(/\s/)[0] ?? "");
  const placeholderOf = (stderr: string): string => {
    const match = /unblock-secret\/([A-Za-z0-9_-]+)/.exec(stderr);
    if (!match) throw new Error(`no allow URL in:\n${stderr}`);
    return match[1]!;
  };

  beforeAll(async () => {
    if (skip) return;
    server = await startVigilServer(url ? { postgresUrl: url } : {});
    expect(server.cli(["repo", "add", "acme/app"]).status).toBe(0);
    adminToken = server.cli(["token", "create", "--user", "admin", "--scopes", "repo,security_events,admin:org,write:org"]).stdout.trim();
    devToken = server.cli(["token", "create", "--user", "dev", "--scopes", "repo"]).stdout.trim();
    expect(server.cli(["grant", "dev", "--repo", "acme/app", "--role", "write"]).status).toBe(0);
    admin = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: adminToken });
    dev = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: devToken });
    work = mkdtempSync(join(tmpdir(), "vigil-push-"));
    const remote = `${server.url.replace("http://", `http://dev:${devToken}@`)}/acme/app.git`;
    execFileSync("git", ["clone", "-q", remote, work], { env: GIT_ENV, stdio: "pipe" });
    commitFile("README.md", "# app\n");
    expect(push().status).toBe(0);
  }, 60_000);

  afterAll(async () => {
    if (skip) return;
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(skip)("rejects a push carrying a GitHub token, GitHub's way, and leaves the remote unchanged", () => {
    const before = remoteMain();
    commitFile("config.env", `GITHUB_TOKEN=${random.githubToken("ghp")}\n`);
    const result = push();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("GH013: Repository rule violations found for refs/heads/main");
    expect(result.stderr).toContain("GitHub Personal Access Token");
    expect(result.stderr).toMatch(/path: config\.env:1/);
    expect(result.stderr).toContain(`${server.url}/acme/app/security/secret-scanning/unblock-secret/`);
    expect(remoteMain()).toBe(before);
  });

  it.skipIf(skip)("lets only the pusher allow the secret; the next push passes and creates the bypassed alert", async () => {
    const placeholder = placeholderOf(push().stderr);
    const byOther = await admin.rest.secretScanning.createPushProtectionBypass({ owner: "acme", repo: "app", reason: "used_in_tests", placeholder_id: placeholder }).catch((e: { status: number }) => e);
    expect((byOther).status).toBe(403);
    const bad = await dev.request("POST /repos/{owner}/{repo}/secret-scanning/push-protection-bypasses", { owner: "acme", repo: "app", reason: "because" as never, placeholder_id: placeholder }).catch((e: { status: number }) => e);
    expect((bad).status).toBe(422);
    const { data } = await dev.rest.secretScanning.createPushProtectionBypass({ owner: "acme", repo: "app", reason: "used_in_tests", placeholder_id: placeholder });
    expect(data).toMatchObject({ reason: "used_in_tests", token_type: "github_personal_access_token" });
    expect(Date.parse(data.expire_at!)).toBeGreaterThan(Date.now());

    expect(push().status).toBe(0);
    const listed: unknown[] = await admin.paginate(admin.rest.secretScanning.listAlertsForRepo, { owner: "acme", repo: "app", is_bypassed: true } as never);
    const alerts = listed as { push_protection_bypassed_at: string | null }[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: "resolved", resolution: "used_in_tests", push_protection_bypassed: true, push_protection_bypassed_by: { login: "dev" } });
    expect(alerts[0]!.push_protection_bypassed_at).toBeTruthy();
  });

  it.skipIf(skip)("does not block a secret that already has an alert in the repository", () => {
    const known = git("show", "HEAD:config.env").stdout;
    commitFile("copy.env", known);
    expect(push().status).toBe(0);
  });

  it.skipIf(skip)("allowing through the page with will_fix_later leaves the alert open", async () => {
    commitFile("later.env", `TOKEN=${random.githubToken("ghp")}\n`);
    const placeholder = placeholderOf(push().stderr);
    const page = await fetch(`${server.url}/acme/app/security/secret-scanning/unblock-secret/${placeholder}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("GitHub Personal Access Token");
    const wrong = await fetch(page.url, { method: "POST", body: new URLSearchParams({ token: adminToken, reason: "will_fix_later" }) });
    expect(wrong.status).toBe(403);
    const allowed = await fetch(page.url, { method: "POST", body: new URLSearchParams({ token: devToken, reason: "will_fix_later" }) });
    expect(allowed.status).toBe(200);
    expect(push().status).toBe(0);
    const alerts = await admin.paginate(admin.rest.secretScanning.listAlertsForRepo, { owner: "acme", repo: "app", state: "open" });
    expect(alerts.some((a) => a.push_protection_bypassed && a.first_location_detected && (a.first_location_detected as { path: string }).path === "later.env")).toBe(true);
  });

  it.skipIf(skip)("signed in to the web pages, the pusher allows through the page without a token; the session's CSRF token guards it", async () => {
    /** Signs in through /login as a browser would; returns the session cookie. */
    const signIn = async (token: string): Promise<string> => {
      const form = await fetch(`${server.url}/login`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const loginCookie = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      const res = await fetch(`${server.url}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: loginCookie },
        body: new URLSearchParams({ _csrf: csrf, token }),
      });
      expect(res.status).toBe(303);
      const session = res.headers.getSetCookie().find((c) => c.startsWith("vigil_session="));
      expect(session).toBeDefined();
      return session!.split(";")[0]!;
    };
    commitFile("session.env", `TOKEN=${random.githubToken("ghp")}\n`);
    const url = `${server.url}/acme/app/security/secret-scanning/unblock-secret/${placeholderOf(push().stderr)}`;

    // Without a session the page asks for the token and offers to sign in; posting nothing is 401.
    const anonymous = await (await fetch(url)).text();
    expect(anonymous).toContain('name="token"');
    expect(anonymous).toContain(`/login?return_to=${encodeURIComponent(new URL(url).pathname)}`);
    expect((await fetch(url, { method: "POST", body: new URLSearchParams({ reason: "used_in_tests" }) })).status).toBe(401);

    const devSession = await signIn(devToken);
    const page = await fetch(url, { headers: { cookie: devSession } });
    expect(page.status).toBe(200);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const text = await page.text();
    expect(text).toContain("Signed in as <strong>dev</strong>");
    expect(text).not.toContain('name="token"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text)![1]!;

    // The cookie alone (a form posted from another site) allows nothing: no CSRF token, or a wrong one, is 403.
    for (const fields of [{}, { _csrf: "x".repeat(csrf.length) }] as Record<string, string>[]) {
      const forged = await fetch(url, { method: "POST", headers: { cookie: devSession }, body: new URLSearchParams({ reason: "used_in_tests", ...fields }) });
      expect(forged.status).toBe(403);
      expect(await forged.text()).toContain("Form expired");
    }
    expect(push().status).not.toBe(0);

    // Another user's session, with its own valid CSRF token, is not the pusher: 403, as with a token.
    const adminSession = await signIn(adminToken);
    const adminCsrf = /name="_csrf" value="([^"]+)"/.exec(await (await fetch(url, { headers: { cookie: adminSession } })).text())![1]!;
    const byOther = await fetch(url, { method: "POST", headers: { cookie: adminSession }, body: new URLSearchParams({ reason: "used_in_tests", _csrf: adminCsrf }) });
    expect(byOther.status).toBe(403);
    expect(push().status).not.toBe(0);

    const allowed = await fetch(url, { method: "POST", headers: { cookie: devSession }, body: new URLSearchParams({ reason: "used_in_tests", _csrf: csrf }) });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("Secret allowed");
    expect(push().status).toBe(0);
    const alerts = await admin.paginate(admin.rest.secretScanning.listAlertsForRepo, { owner: "acme", repo: "app", is_bypassed: true } as never);
    const bypassed = (alerts as { first_location_detected?: { path?: string }; push_protection_bypassed_by?: { login: string } }[]).find((a) => a.first_location_detected?.path === "session.env");
    expect(bypassed?.push_protection_bypassed_by?.login).toBe("dev");
  });

  it.skipIf(skip)("pattern configuration: a stale version is 409; a disabled pattern stops blocking and the push is still scanned", async () => {
    const { data: config } = await admin.request("GET /orgs/{org}/secret-scanning/pattern-configurations", { org: "acme" });
    const row = (config.provider_pattern_overrides as { slug: string; alert_total: number; default_setting: string; setting: string }[]).find((p) => p.slug === "github_personal_access_token")!;
    expect(row).toMatchObject({ default_setting: "enabled", setting: "not-set" });
    expect(row.alert_total).toBeGreaterThanOrEqual(2);
    const patch = (version: string | null) =>
      admin.request("PATCH /orgs/{org}/secret-scanning/pattern-configurations", {
        org: "acme",
        pattern_config_version: version,
        provider_pattern_settings: [{ token_type: "GITHUB_PERSONAL_ACCESS_TOKEN", push_protection_setting: "disabled" }],
      });
    const first = await patch(config.pattern_config_version as string | null);
    expect(first.status).toBe(200);
    const stale = await patch(config.pattern_config_version as string | null).catch((e: { status: number }) => e);
    expect((stale).status).toBe(409);

    const secret = random.githubToken("ghp");
    commitFile("unprotected.env", `TOKEN=${secret}\n`);
    expect(push().status).toBe(0);
    // The accepted push is scanned in the background with every pattern: the secret becomes an open alert.
    const deadline = Date.now() + 20_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      const alerts = await admin.paginate(admin.rest.secretScanning.listAlertsForRepo, { owner: "acme", repo: "app" });
      found = alerts.some((a) => a.secret === secret && a.state === "open" && !a.push_protection_bypassed);
      if (!found) await new Promise((r) => setTimeout(r, 250));
    }
    expect(found).toBe(true);
  });

  it.skipIf(skip)("reports push protection metrics by type, repository and reason", async () => {
    const { data } = await admin.request("GET /orgs/{org}/secret-scanning/push-protection-metrics", { org: "acme" });
    expect(data.pushes_blocked).toBeGreaterThanOrEqual(3);
    expect(data.pushes_bypassed).toBe(3);
    // used_in_tests: through the API and through the page signed in; will_fix_later: through the page with a token.
    expect(data.by_reason).toEqual(expect.arrayContaining([{ reason: "used_in_tests", count: 2 }, { reason: "will_fix_later", count: 1 }]));
    expect(data.by_repository[0]).toMatchObject({ repository: "acme/app" });
  });

  it.skipIf(skip)("refuses git access without a token (401) and pushes without write access (403)", () => {
    const anonymous = spawnSync("git", ["ls-remote", `${server.url}/acme/app.git`], { env: GIT_ENV, encoding: "utf8" });
    expect(anonymous.status).not.toBe(0);
    const readerToken = server.cli(["token", "create", "--user", "reader", "--scopes", "repo"]).stdout.trim();
    server.cli(["grant", "reader", "--repo", "acme/app", "--role", "read"]);
    const readerUrl = `${server.url.replace("http://", `http://reader:${readerToken}@`)}/acme/app.git`;
    expect(spawnSync("git", ["ls-remote", readerUrl], { env: GIT_ENV, encoding: "utf8" }).status).toBe(0);
    const denied = git("push", readerUrl, "HEAD:refs/heads/reader");
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toMatch(/403|Write access/);
  });
});
