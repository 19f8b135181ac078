import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { chromium, type Browser, type Page } from "playwright-core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type VigilServer } from "../server/create-server.js";
import { scanRepositoryHistory } from "../server/scan-repository-history.js";
import { openStore, type OpenedStore } from "../store/index.js";
import { detection } from "../test-support/api-fixture.js";

/** Debian's chromium (`.ci/run` installs it); no browser is downloaded from elsewhere. */
const CHROMIUM = "/usr/bin/chromium";
/** Screenshots of the main pages, git-ignored; look at them after a change to the pages. */
const SHOTS = resolve(import.meta.dirname, "../../../../test-results/screenshots");

let root: string;
let opened: OpenedStore;
let server: VigilServer;
let base: string;
let browser: Browser;
const tokens: Record<string, string> = {};
const secrets: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`the browser tests need Debian's chromium at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(SHOTS, { recursive: true });
  root = mkdtempSync(join(tmpdir(), "vigil-browser-"));
  const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 11).toString("base64") };
  opened = await openStore({ dataDir: root, env });
  const { store } = opened;
  server = createServer({
    store,
    pushProtection: opened.pushProtection,
    sessions: opened.sessions,
    reviews: opened.reviews,
    overview: opened.overview,
    webhooks: opened.webhooks,
    storeEnv: { VIGIL_DATA_DIR: root, ...env },
    dataDir: root,
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
    background: false,
  });
  const api = await server.repositories.register({ owner: "acme", name: "api", sourceUrl: null });
  const web = await server.repositories.register({ owner: "acme", name: "web", sourceUrl: null });
  await store.updateRepository(api.id, {
    webUrlTemplate: "https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}",
  });
  const random = new ExampleRandom(2026);
  for (const [repo, path] of [
    [api, "config/prod.env"],
    [api, "scripts/deploy.sh"],
    [web, "src/settings.ts"],
  ] as const) {
    const secret = random.githubToken("ghp");
    secrets.push(secret);
    await store.recordDetections(repo.id, [
      detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, path, secrets.length),
    ]);
  }
  await store.recordDetections(api.id, [
    {
      ...detection(
        "http_basic_authentication_header",
        "HTTP Basic Authentication Header",
        null,
        `Basic ${Buffer.from(`ci:${random.alnum(20)}`).toString("base64")}`,
        "ci/pipeline.yml",
        9,
      ),
      secretCategory: "generic",
    },
  ]);
  const org = (await store.getOrganization("acme"))!;
  const security = await store.createUser({ login: "sam", name: "Sam Security" });
  await store.setOrgRole(org.id, security.id, "security_manager");
  tokens.sam = (
    await store.createToken({ userId: security.id, scopes: ["repo", "security_events", "read:org", "write:org"] })
  ).token;
  const dev = await store.createUser({ login: "dev" });
  await store.setRepoRole(web.id, dev.id, "write");
  tokens.dev = (await store.createToken({ userId: dev.id, scopes: ["repo"] })).token;
  const outsider = await store.createUser({ login: "olly" });
  tokens.olly = (await store.createToken({ userId: outsider.id, scopes: ["repo", "security_events"] })).token;
  base = (await server.listen(0)).url;
  await pushThroughPushProtection(random);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await opened?.close();
  if (root) rmSync(root, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Real pushes to the hosted acme/web: two are blocked by push protection, the pusher allows one
 * secret (reason "used in tests") and pushes it through, so the push-protection page has real figures.
 */
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Dev",
  GIT_AUTHOR_EMAIL: "dev@example.com",
  GIT_COMMITTER_NAME: "Dev",
  GIT_COMMITTER_EMAIL: "dev@example.com",
  GIT_TERMINAL_PROMPT: "0",
};
/** The pusher's clone of acme/web. */
let work: string;
// Asynchronous: the server answering git runs in this process.
const git = (...args: string[]) =>
  new Promise<{ status: number | null; stderr: string }>((done) => {
    const child = spawn("git", args, { cwd: work, env: GIT_ENV });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => done({ status, stderr }));
  });
const commit = async (name: string, content: string) => {
  writeFileSync(join(work, name), content);
  await git("add", name);
  await git("commit", "-qm", `add ${name}`);
};

async function pushThroughPushProtection(random: ExampleRandom): Promise<void> {
  work = mkdtempSync(join(tmpdir(), "vigil-browser-push-"));
  {
    await git("init", "-q", "-b", "main");
    await git("remote", "add", "origin", `${base.replace("http://", `http://dev:${tokens.dev}@`)}/acme/web.git`);
    await commit("README.md", "# web\n");
    if ((await git("push", "-q", "origin", "HEAD:main")).status !== 0) throw new Error("the first push failed");
    await commit("ci.env", `TOKEN=${random.githubToken("ghp")}\n`);
    const blocked = await git("push", "origin", "HEAD:main");
    const placeholder = /unblock-secret\/([A-Za-z0-9_-]+)/.exec(blocked.stderr)?.[1];
    if (blocked.status === 0 || !placeholder) throw new Error(`push protection did not block: ${blocked.stderr}`);
    const allowed = await fetch(`${base}/api/v3/repos/acme/web/secret-scanning/push-protection-bypasses`, {
      method: "POST",
      headers: { authorization: `token ${tokens.dev}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "used_in_tests", placeholder_id: placeholder }),
    });
    if (allowed.status !== 200) throw new Error(`bypass answered ${allowed.status}`);
    if ((await git("push", "-q", "origin", "HEAD:main")).status !== 0) throw new Error("the allowed push failed");
    await commit("deploy.env", `TOKEN=${random.githubToken("ghp")}\n`);
    if ((await git("push", "origin", "HEAD:main")).status === 0)
      throw new Error("push protection did not block the second secret");
  }
}

async function signIn(page: Page, token: string): Promise<void> {
  await expect.poll(() => page.url()).toContain("/login");
  await page.getByLabel("Vigil token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState();
}

const rows = (page: Page) => page.locator("tbody tr");

describe("the web pages in Chromium", () => {
  it("sign in, filter the organization's alerts, close one as revoked with a comment, see it in the timeline and the API, sign out", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/orgs/acme/security/secret-scanning`);
    await signIn(page, tokens.sam!);
    expect(new URL(page.url()).pathname).toBe("/orgs/acme/security/secret-scanning");
    await expect.poll(() => page.getByTestId("login").textContent()).toBe("sam");
    // Open provider alerts of both repositories, newest first; secrets masked.
    expect(await rows(page).count()).toBe(3);
    const listed = await page.locator("main").textContent();
    for (const secret of secrets) expect(listed).not.toContain(secret);
    expect(listed).toContain("acme/web");
    await page.screenshot({ path: join(SHOTS, "org-alert-list.png"), fullPage: true });

    // Generic patterns only.
    await page.getByLabel("Patterns").selectOption("generic");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/kind=generic/);
    expect(await rows(page).count()).toBe(1);
    expect(await rows(page).first().textContent()).toContain("HTTP Basic Authentication Header");

    // Back to provider patterns, filtered by type; open the alert of config/prod.env.
    await page.getByLabel("Patterns").selectOption("");
    await page.getByLabel("Secret type").fill("github_personal_access_token");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/secret_type=github_personal_access_token/);
    expect(await rows(page).count()).toBe(3);
    await page
      .locator("tbody tr", { hasText: "config/prod.env" })
      .getByRole("link", { name: "GitHub Personal Access Token" })
      .click();
    await page.waitForURL(/\/acme\/api\/security\/secret-scanning\/1$/);
    expect(await page.getByTestId("masked-secret").textContent()).toBe(`${secrets[0]!.slice(0, 4)}${"*".repeat(32)}`);
    expect(await page.getByRole("link", { name: /config\/prod\.env:3/ }).getAttribute("href")).toMatch(
      /^https:\/\/git\.example\/acme\/api\/blob\/[0-9a-f]{40}\/config\/prod\.env#L3$/,
    );
    await page.screenshot({ path: join(SHOTS, "alert-open.png"), fullPage: true });

    // Close as revoked with a comment.
    await page.getByLabel(/Revoked/).check();
    await page.getByLabel(/Comment/).fill("Rotated at GitHub on the day it leaked");
    await page.getByRole("button", { name: "Close alert" }).click();
    await page.waitForLoadState();
    const timeline = page.locator("ol.timeline");
    await expect
      .poll(async () => (await timeline.innerText()).replace(/\s+/g, " "))
      .toContain("Closed as revoked by sam: Rotated at GitHub on the day it leaked");
    expect(await page.locator("h1").textContent()).toContain("Closed as revoked");
    await page.screenshot({ path: join(SHOTS, "alert-closed.png"), fullPage: true });

    const res = await fetch(`${base}/api/v3/repos/acme/api/secret-scanning/alerts/1`, {
      headers: { authorization: `token ${tokens.sam}` },
    });
    expect(await res.json()).toMatchObject({
      state: "resolved",
      resolution: "revoked",
      resolution_comment: "Rotated at GitHub on the day it leaked",
      resolved_by: { login: "sam" },
      html_url: `${base}/acme/api/security/secret-scanning/1`,
    });

    // The overview lists where sam can look; the repository list holds that repository's alerts only.
    await page.goto(`${base}/security`);
    await page.getByRole("link", { name: "acme/api" }).click();
    await page.waitForURL(/\/acme\/api\/security\/secret-scanning$/);
    expect(await rows(page).count()).toBe(1);
    expect(await page.locator("main").textContent()).not.toContain("src/settings.ts");
    await page.getByLabel("State").selectOption("resolved");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/state=resolved/);
    expect(await rows(page).first().textContent()).toContain("Closed as revoked");
    await page.screenshot({ path: join(SHOTS, "repo-alert-list-closed.png"), fullPage: true });

    // The closed alert leaves the default (open) list.
    await page.goto(`${base}/orgs/acme/security/secret-scanning`);
    expect(await rows(page).count()).toBe(2);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login\?signed_out=1/);
    expect(await page.getByRole("status").textContent()).toContain("You are signed out");
    await page.screenshot({ path: join(SHOTS, "signed-out.png") });
    await page.goto(`${base}/acme/api/security/secret-scanning/1`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  }, 60_000);

  it("a user without access gets the not-found page, and nothing of the alert", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, tokens.olly!);
    const response = await page.goto(`${base}/acme/api/security/secret-scanning/2`);
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Not found");
    expect(await page.locator("main").textContent()).not.toContain("GitHub Personal Access Token");
    await page.screenshot({ path: join(SHOTS, "not-found.png") });
    expect((await page.goto(`${base}/orgs/acme/security/secret-scanning`))?.status()).toBe(404);
    await context.close();
  }, 60_000);

  it("a wrong token shows the sign-in form again with the reason", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await signIn(page, "vgl_" + "0".repeat(36));
    expect(await page.getByRole("alert").textContent()).toContain("That token is not valid");
    await page.screenshot({ path: join(SHOTS, "sign-in-error.png") });
    await context.close();
  }, 60_000);

  it("the security overview and push-protection pages draw their charts from real alerts and pushes, with tables beside them", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/orgs/acme/security/overview`);
    await signIn(page, tokens.sam!);
    expect(await page.locator("h1").textContent()).toBe("Security overview · acme");
    const charts = page.locator("figure[data-chart] svg[role=img]");
    expect(await charts.count()).toBe(5);
    expect(await page.locator('[data-chart="open-over-time-chart"] polyline').count()).toBe(1);
    expect(await page.locator('[data-chart="top-repos-chart"] rect').count()).toBe(2);
    const box = await charts.first().boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    // The same figures as a table, reachable from the keyboard.
    await page.getByText("Alerts by repository: table").click();
    expect(await page.getByRole("table", { name: "Alerts by repository" }).getByRole("row").count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, "security-overview.png"), fullPage: true });

    await page.getByRole("navigation", { name: "Security" }).getByRole("link", { name: "Push protection" }).click();
    await page.waitForURL(/\/security\/push-protection$/);
    expect((await page.getByTestId("blocked").textContent())!.trim()).toBe("2");
    expect((await page.getByTestId("bypassed").textContent())!.trim()).toBe("1");
    expect(await page.locator('[data-chart="push-over-time-chart"] polyline').count()).toBe(2);
    expect(await page.locator('[data-chart="push-by-reason-chart"] text').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("Used in tests")]),
    );
    expect(await page.locator('[aria-current="page"]').textContent()).toBe("Push protection");
    await page.screenshot({ path: join(SHOTS, "push-protection.png"), fullPage: true });
    await context.close();
  }, 60_000);

  it("from the keyboard: skip to the content and search; reveal the secret, recorded in the timeline", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/acme/api/security/secret-scanning`);
    await signIn(page, tokens.sam!);
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").textContent()).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").getAttribute("name")).toBe("q");
    await page.keyboard.type("is:open secret-type:http_basic_authentication_header");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=is%3Aopen/);
    expect(await rows(page).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, "repo-alert-list-search.png"), fullPage: true });
    await page.getByRole("link", { name: "HTTP Basic Authentication Header" }).click();
    await page.getByRole("button", { name: "Reveal secret" }).click();
    await page.waitForLoadState();
    expect(await page.getByTestId("revealed-secret").textContent()).toMatch(/^Basic /);
    // Coming back shows it masked again (a reload would post the reveal form anew).
    await page.goto(page.url());
    expect(await page.getByTestId("revealed-secret").count()).toBe(0);
    expect((await page.locator("ol.timeline").innerText()).replace(/\s+/g, " ")).toContain("Secret revealed to sam");
    expect(await page.getByText("Remediation").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, "alert-revealed-timeline.png"), fullPage: true });
    await context.close();
  }, 60_000);

  it("bulk close from the organization list, with one reason and comment", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/orgs/acme/security/secret-scanning?repo=acme/web`);
    await signIn(page, tokens.sam!);
    const before = await rows(page).count();
    expect(before).toBeGreaterThan(0);
    await rows(page).first().getByRole("checkbox").check();
    await page.getByLabel("Close selected as").selectOption("wont_fix");
    await page.getByLabel("Comment").fill("Staging only, rotated weekly");
    await page.getByRole("button", { name: "Close selected" }).click();
    await page.waitForURL(/bulk=/);
    expect(await page.getByRole("status").textContent()).toContain("Closed 1 alert");
    expect(await rows(page).count()).toBe(before - 1);
    await page.screenshot({ path: join(SHOTS, "org-alert-list-bulk-closed.png"), fullPage: true });
    await context.close();
  }, 60_000);

  it("the pattern configuration table shows a clear message on a 409 and saves on the second try", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/orgs/acme/settings/security?pattern=slack_api_token`);
    await signIn(page, tokens.sam!);
    const select = page.getByLabel("Push protection for Slack API Token");
    expect(await select.inputValue()).toBe("not-set");
    // Meanwhile someone changes the configuration through the API.
    const changed = await fetch(`${base}/api/v3/orgs/acme/secret-scanning/pattern-configurations`, {
      method: "PATCH",
      headers: { authorization: `token ${tokens.sam}`, "content-type": "application/json" },
      body: JSON.stringify({
        provider_pattern_settings: [{ token_type: "SLACK_API_TOKEN", push_protection_setting: "enabled" }],
      }),
    });
    expect(changed.status).toBe(200);
    await select.selectOption("disabled");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Save pattern settings" }).click(),
    ]);
    expect(response.status()).toBe(409);
    await page.waitForLoadState();
    expect(await page.getByRole("alert").textContent()).toContain(
      "Someone else changed the pattern configuration after you opened this page",
    );
    expect(await page.getByLabel("Push protection for Slack API Token").inputValue()).toBe("enabled");
    await page.screenshot({ path: join(SHOTS, "pattern-configuration-409.png"), fullPage: true });
    await page.getByLabel("Push protection for Slack API Token").selectOption("disabled");
    await page.getByRole("button", { name: "Save pattern settings" }).click();
    await page.waitForURL(/saved=/);
    expect(await page.getByRole("status").textContent()).toContain("1 pattern setting saved");
    expect(await page.getByLabel("Push protection for Slack API Token").inputValue()).toBe("disabled");
    await page.goto(`${base}/acme/api/settings/security`);
    await page.screenshot({ path: join(SHOTS, "repository-settings.png"), fullPage: true });
    await context.close();
  }, 60_000);

  it("under delegated bypass, the pusher's blocked push waits in the reviewer queue; a reviewer approves it and the push goes through", async () => {
    const org = (await opened.store.getOrganization("acme"))!;
    await opened.reviews.setOrgReviewSettings(org.id, { bypassReview: true });
    // deploy.env, blocked in the setup, is still the pusher's unpushed commit.
    const blocked = await git("push", "origin", "HEAD:main");
    const placeholder = /unblock-secret\/([A-Za-z0-9_-]+)/.exec(blocked.stderr)?.[1];
    expect(blocked.status).not.toBe(0);
    const requested = await fetch(`${base}/api/v3/repos/acme/web/secret-scanning/push-protection-bypasses`, {
      method: "POST",
      headers: { authorization: `token ${tokens.dev}`, "content-type": "application/json" },
      body: JSON.stringify({
        reason: "false_positive",
        placeholder_id: placeholder,
        comment: "A sample token for the docs",
      }),
    });
    expect(requested.status).toBe(202);
    expect((await git("push", "origin", "HEAD:main")).status).not.toBe(0);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/orgs/acme/security/reviews`);
    await signIn(page, tokens.sam!);
    const row = page.locator("tbody tr", { hasText: "deploy.env" });
    expect((await row.innerText()).replace(/\s+/g, " ")).toContain("dev");
    expect(await row.innerText()).toContain("A sample token for the docs");
    await page.screenshot({ path: join(SHOTS, "review-requests.png"), fullPage: true });
    await row.getByLabel("Message").fill("Checked: a documentation sample");
    await row.getByRole("button", { name: "Approve" }).click();
    await page.waitForURL(/done=/);
    expect(await page.getByRole("status").textContent()).toContain("Bypass request #1 of acme/web approved");
    expect(await page.locator("tbody tr", { hasText: "deploy.env" }).count()).toBe(0);
    expect((await git("push", "origin", "HEAD:main")).status).toBe(0);
    await opened.reviews.setOrgReviewSettings(org.id, { bypassReview: false });
    await context.close();
  }, 60_000);
});
