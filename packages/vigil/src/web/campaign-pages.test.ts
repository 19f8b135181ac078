import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type VigilServer } from "../server/create-server.js";
import { scanRepositoryHistory } from "../server/scan-repository-history.js";
import { openStore, type OpenedStore } from "../store/index.js";
import { detection } from "../test-support/api-fixture.js";
import { startFakeIssueForge, type FakeIssueForge } from "../test-support/fake-issue-forge.js";

const BASE = "http://vigil.test";
let root: string;
let opened: OpenedStore;
let server: VigilServer;
let forge: FakeIssueForge;
const tokens: Record<string, string> = {};
const secrets: string[] = [];

/** Keeps cookies between requests and never follows redirects. */
class Browser {
  cookies = new Map<string, string>();
  csrf = "";
  async request(path: string, init: { form?: Record<string, string> } = {}) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const res = await server.app.request(`${BASE}${path}`, { method: init.form ? "POST" : "GET", headers, ...(body !== undefined ? { body } : {}) });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (/max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { res, text: await res.text() };
  }
  async signIn(token: string) {
    const { text } = await this.request("/login");
    await this.request("/login", { form: { _csrf: csrfOf(text), token } });
    this.csrf = csrfOf((await this.request("/security")).text);
    return this;
  }
  post(path: string, form: Record<string, string>) {
    return this.request(path, { form: { _csrf: this.csrf, ...form } });
  }
}

const csrfOf = (page: string): string => /name="_csrf"\s+value="([^"]+)"/.exec(page)![1]!;
const textOf = (page: string): string => page.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "vigil-campaign-pages-"));
  opened = await openStore({ dataDir: root, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 3).toString("base64") } });
  const { store } = opened;
  server = createServer({
    store,
    pushProtection: opened.pushProtection,
    sessions: opened.sessions,
    campaigns: opened.campaigns,
    storeEnv: { VIGIL_DATA_DIR: root },
    dataDir: root,
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
  });
  const api = await server.repositories.register({ owner: "acme", name: "api", sourceUrl: null });
  const random = new ExampleRandom(0x9a9e);
  for (let i = 0; i < 2; i++) secrets.push(random.githubToken("ghp"));
  await store.recordDetections(api.id, [detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secrets[0]!, "a.env", 1)]);
  await store.recordDetections(api.id, [detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secrets[1]!, "b.env", 2)]);
  const org = (await store.getOrganization("acme"))!;
  for (const [login, role] of [["sam", "security_manager"], ["rita", "member"]] as const) {
    const user = await store.createUser({ login });
    if (role === "security_manager") await store.setOrgRole(org.id, user.id, role);
    else await store.setRepoRole(api.id, user.id, "read");
    tokens[login] = (await store.createToken({ userId: user.id, scopes: ["repo", "security_events"] })).token;
  }
  forge = await startFakeIssueForge({ kind: "github", token: "pages-forge-credential", repos: ["acme/api"] });
});

afterAll(async () => {
  await forge.close();
  await server.close();
  await opened.close();
  rmSync(root, { recursive: true, force: true });
});

describe("remediation view", () => {
  it("open alerts grouped by secret type with organization, repository, masked secret and maintainers; CSV and JSON", async () => {
    const browser = await new Browser().signIn(tokens.sam!);
    const { res, text } = await browser.request("/orgs/acme/security/remediation");
    expect(res.status).toBe(200);
    const seen = textOf(text);
    expect(seen).toContain("github_personal_access_token (2)");
    expect(text).toContain("Dev &lt;dev@example.com&gt;");
    for (const secret of secrets) expect(text).not.toContain(secret);
    const csv = await browser.request("/orgs/acme/security/remediation?format=csv");
    expect(csv.res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.text.split("\r\n")[0]).toBe("organization,repository,secret_type,secret_value,maintainers");
    expect(csv.text.split("\r\n").filter(Boolean)).toHaveLength(3);
    const json = await browser.request("/orgs/acme/security/remediation?format=json&validity=inactive");
    expect(JSON.parse(json.text)).toEqual([]);
    expect((await browser.request("/orgs/acme/security/remediation?validity=alive")).res.status).toBe(422);
  });

  it("404 to those who may not see the organization's alerts; sign-in first for a browser without a session", async () => {
    const reader = await new Browser().signIn(tokens.rita!);
    expect((await reader.request("/orgs/acme/security/remediation")).res.status).toBe(404);
    const anonymous = await new Browser().request("/orgs/acme/security/campaigns");
    expect(anonymous.res.status).toBe(303);
    expect(anonymous.res.headers.get("location")).toBe("/login?return_to=%2Forgs%2Facme%2Fsecurity%2Fcampaigns");
  });
});

describe("campaign pages", () => {
  it("create from the form, run the outreach, follow progress", async () => {
    const browser = await new Browser().signIn(tokens.sam!);
    expect((await browser.request("/orgs/acme/security/campaigns", { form: { name: "no csrf" } })).res.status).toBe(403);
    expect((await browser.post("/orgs/acme/security/campaigns", { name: "" })).res.status).toBe(422);
    const created = await browser.post("/orgs/acme/security/campaigns", { name: "Tokens", secret_type: "github_personal_access_token", ends_at: "2027-02-01" });
    expect(created.res.status).toBe(303);
    const path = created.res.headers.get("location")!;
    expect(path).toMatch(/^\/orgs\/acme\/security\/campaigns\/\d+$/);
    expect(textOf((await browser.request(path)).text)).toContain("0 of 2 closed (0 revoked), 2 open");
    const noForge = await browser.post(path, { action: "outreach" });
    expect(textOf(noForge.text)).toContain("No forge is connected");
    const org = (await opened.store.getOrganization("acme"))!;
    await opened.campaigns.setForgeConnection(org.id, { kind: "github", apiUrl: forge.apiUrl, token: "pages-forge-credential", namespace: null }, 1);
    const ran = await browser.post(path, { action: "outreach" });
    expect(textOf(ran.text)).toContain("Outreach: 1 created, 0 updated, 0 closed, 0 unchanged.");
    expect(ran.text).toContain('href="http://forge.test/acme/api/issues/1"');
    const repo = (await opened.store.getRepository("acme", "api"))!;
    await opened.store.updateAlert(repo.id, 1, { state: "resolved", resolution: "revoked" }, null);
    expect(textOf((await browser.request(path)).text)).toContain("1 of 2 closed (1 revoked), 1 open");
    expect((await browser.post(path, { action: "close" })).res.status).toBe(303);
    expect(textOf((await browser.request("/orgs/acme/security/campaigns")).text)).toMatch(/Tokens closed .*1\/2 closed 2027-02-01/);
  });
});
