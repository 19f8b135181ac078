import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type VigilServer } from "../server/create-server.js";
import { scanRepositoryHistory } from "../server/scan-repository-history.js";
import { openStore, type OpenedStore } from "../store/index.js";

const BASE = "http://vigil.test";
const PAGE = "/acme/api/settings/security_analysis/custom-patterns";
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Dev",
  GIT_AUTHOR_EMAIL: "dev@example.com",
  GIT_COMMITTER_NAME: "Dev",
  GIT_COMMITTER_EMAIL: "dev@example.com",
};
let root: string;
let opened: OpenedStore;
let server: VigilServer;
const tokens: Record<string, string> = {};
let repoId = 0;
const secret = `acme_live_${new ExampleRandom(1414).alnum(24)}`;

/** Keeps cookies between requests and never follows redirects. */
class Browser {
  cookies = new Map<string, string>();
  csrf = "";
  async request(path: string, form?: Record<string, string>) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (form) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await server.app.request(`${BASE}${path}`, {
      method: form ? "POST" : "GET",
      headers,
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (pair.slice(eq + 1) === "" || /max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { res, text: await res.text() };
  }
  /** Posts a page's form with the session's CSRF token. */
  post(path: string, form: Record<string, string>) {
    return this.request(path, { _csrf: this.csrf, ...form });
  }
}

const hidden = (page: string, name: string): string =>
  new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(page)?.[1] ?? "";
const textOf = (page: string): string => page.replace(/<[^>]*>/g, "").replace(/\s+/g, " ");

async function signedIn(who: string): Promise<Browser> {
  const browser = new Browser();
  const { text } = await browser.request("/login");
  const { res } = await browser.request("/login", { _csrf: hidden(text, "_csrf"), return_to: "", token: tokens[who]! });
  expect(res.status).toBe(303);
  browser.csrf = hidden((await browser.request("/security")).text, "_csrf");
  return browser;
}

async function until<T>(get: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await get();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "vigil-cp-pages-"));
  const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 7).toString("base64") };
  opened = await openStore({ dataDir: root, env });
  // The repository's history holds a secret of the organization's own format, which no built-in pattern knows.
  const work = join(root, "work");
  mkdirSync(work);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: work, env: GIT_ENV, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  writeFileSync(join(work, "deploy.env"), `ACME_KEY=${secret}\n`);
  git("add", ".");
  git("commit", "-qm", "deploy");
  mkdirSync(join(root, "repos", "acme"), { recursive: true });
  git("clone", "-q", "--bare", work, join(root, "repos", "acme", "api.git"));
  server = createServer({
    store: opened.store,
    pushProtection: opened.pushProtection,
    sessions: opened.sessions,
    customPatterns: opened.customPatterns,
    storeEnv: { VIGIL_DATA_DIR: root, ...env },
    dataDir: root,
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
  });
  const repo = await server.repositories.register({ owner: "acme", name: "api", sourceUrl: null });
  repoId = repo.id;
  const org = (await opened.store.getOrganization("acme"))!;
  const owner = await opened.store.createUser({ login: "owner" });
  tokens.owner = (
    await opened.store.createToken({ userId: owner.id, scopes: ["repo", "security_events", "write:org"] })
  ).token;
  await opened.store.setOrgRole(org.id, owner.id, "owner");
  const reader = await opened.store.createUser({ login: "reader" });
  tokens.reader = (await opened.store.createToken({ userId: reader.id, scopes: ["repo", "security_events"] })).token;
  await opened.store.setRepoRole(repo.id, reader.id, "read");
  await server.runner.idle();
});

afterAll(async () => {
  await server.close();
  await opened.close();
  rmSync(root, { recursive: true, force: true });
});

describe("custom pattern pages", () => {
  it("save and dry run, publish, push protection and delete, from the repository's settings page", async () => {
    const browser = await signedIn("owner");
    expect(textOf((await browser.request(PAGE)).text)).toContain("No custom patterns yet.");

    const refused = await browser.post(PAGE, { name: "Everything", pattern: "[a-z]*" });
    expect(refused.res.status).toBe(422);
    expect(textOf(refused.text)).toContain("matches the empty string");
    expect(await opened.customPatterns.list({ scope: "repository", repoId })).toEqual([]);

    const saved = await browser.post(PAGE, {
      name: "Acme key",
      pattern: "acme_live_[A-Za-z0-9]{24}",
      must_match: "[0-9]",
    });
    expect(saved.res.status).toBe(303);
    const patternPage = saved.res.headers.get("location")!;
    expect(patternPage).toMatch(new RegExp(`^${PAGE}/\\d+$`));
    const id = Number(patternPage.split("/").pop());

    const dryRun = await until(
      () => browser.request(patternPage),
      (p) => textOf(p.text).includes("1 results"),
    );
    expect(textOf(dryRun.text)).toContain("1 results");
    expect(textOf(dryRun.text)).toContain("deploy.env:1");
    expect(dryRun.text).not.toContain(secret);
    expect(textOf(dryRun.text)).toContain("unpublished");

    const early = await browser.post(patternPage, { action: "push_protection_on" });
    expect(early.res.status).toBe(422);
    expect(textOf(early.text)).toContain("Publish the pattern before enabling push protection.");

    expect((await browser.post(patternPage, { action: "publish" })).res.status).toBe(303);
    await server.runner.idle();
    const alerts = await opened.store.listAlerts({
      repoIds: [repoId],
      secretTypes: [`cp_${id}`],
      sort: "created",
      direction: "asc",
      perPage: 10,
    });
    expect(alerts.alerts.map((a) => [a.secret, a.state])).toEqual([[secret, "open"]]);

    expect((await browser.post(patternPage, { action: "push_protection_on" })).res.status).toBe(303);
    expect((await opened.customPatterns.get(id))!.pushProtectionEnabled).toBe(true);
    expect(textOf((await browser.request(PAGE)).text)).toMatch(/Acme key .* published enabled/);

    expect((await browser.post(patternPage, { action: "delete" })).res.status).toBe(303);
    const closed = await opened.store.listAlerts({
      repoIds: [repoId],
      secretTypes: [`cp_${id}`],
      sort: "created",
      direction: "asc",
      perPage: 10,
    });
    expect(closed.alerts.map((a) => [a.state, a.resolution])).toEqual([["resolved", "pattern_deleted"]]);
    expect((await browser.request(patternPage)).res.status).toBe(404);
  });

  it("is 404 to a reader of the repository, and a form without the session's CSRF token is refused", async () => {
    const reader = await signedIn("reader");
    expect((await reader.request(PAGE)).res.status).toBe(404);
    const owner = await signedIn("owner");
    const forged = await owner.request(PAGE, { name: "Forged", pattern: "forged_[a-z]{12}" });
    expect(forged.res.status).toBe(403);
    expect(await opened.customPatterns.list({ scope: "repository", repoId })).toEqual([]);
  });
});
