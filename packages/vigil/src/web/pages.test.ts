import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenScope } from "../alerts/alert-store.js";
import type { Repository } from "../alerts/types.js";
import { createServer, type VigilServer } from "../server/create-server.js";
import { scanRepositoryHistory } from "../server/scan-repository-history.js";
import { openStore, type OpenedStore } from "../store/index.js";
import { detection } from "../test-support/api-fixture.js";

const BASE = "http://vigil.test";
let root: string;
let opened: OpenedStore;
let server: VigilServer;
let repo: Repository;
const tokens: Record<string, string> = {};
const secrets: string[] = [];

/** A browser in miniature: keeps cookies between requests, never follows redirects. */
class Browser {
  cookies = new Map<string, string>();
  async request(
    path: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const res = await server.app.request(`${BASE}${path}`, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { res, text: await res.text() };
  }
  async signIn(token: string, returnTo?: string) {
    const { text } = await this.request(`/login${returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : ""}`);
    return this.request("/login", {
      form: { _csrf: hidden(text, "_csrf"), return_to: hidden(text, "return_to"), token },
    });
  }
}

/** What a reader sees: the page's text without tags, whitespace collapsed. */
const textOf = (page: string): string => page.replace(/<[^>]*>/g, "").replace(/\s+/g, " ");

function hidden(page: string, name: string): string {
  const match = new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(page);
  if (!match) throw new Error(`no ${name} field in the page`);
  return match[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");
}

async function signedIn(who: string): Promise<{ browser: Browser; csrf: string }> {
  const browser = new Browser();
  const { res } = await browser.signIn(tokens[who]!);
  expect(res.status).toBe(303);
  const { text } = await browser.request("/security");
  return { browser, csrf: hidden(text, "_csrf") };
}

async function apiAlert(number: number): Promise<Record<string, unknown>> {
  const res = await server.app.request(`${BASE}/api/v3/repos/acme/api/secret-scanning/alerts/${number}`, {
    headers: { authorization: `token ${tokens.owner}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "vigil-pages-"));
  const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") };
  opened = await openStore({ dataDir: root, env });
  const { store } = opened;
  server = createServer({
    store,
    pushProtection: opened.pushProtection,
    sessions: opened.sessions,
    storeEnv: { VIGIL_DATA_DIR: root, ...env },
    dataDir: root,
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
  });
  repo = await server.repositories.register({ owner: "acme", name: "api", sourceUrl: null });
  const random = new ExampleRandom(1515);
  for (let i = 0; i < 3; i++) {
    secrets.push(random.githubToken("ghp"));
    await store.recordDetections(repo.id, [
      detection(
        "github_personal_access_token",
        "GitHub Personal Access Token",
        "GitHub",
        secrets[i]!,
        `config/${i}.env`,
        i + 1,
      ),
    ]);
  }
  // A generic (non-provider) secret: listed by the "Generic" filter only.
  await store.recordDetections(repo.id, [
    {
      ...detection(
        "http_basic_authentication_header",
        "HTTP Basic Authentication Header",
        null,
        `Basic ${Buffer.from(`u:${random.alnum(16)}`).toString("base64")}`,
        "deploy.sh",
        7,
      ),
      secretCategory: "generic",
    },
  ]);
  const org = (await store.getOrganization("acme"))!;
  const make = async (login: string, scopes: TokenScope[]) => {
    const user = await store.createUser({ login });
    tokens[login] = (await store.createToken({ userId: user.id, scopes })).token;
    return user;
  };
  await store.setOrgRole(org.id, (await make("owner", ["repo", "security_events"])).id, "owner");
  await make("outsider", ["repo", "security_events"]);
  await store.setRepoRole(repo.id, (await make("reader", ["repo", "security_events"])).id, "read");
  await store.setOrgRole(org.id, (await make("scopeless", ["read:org"])).id, "owner");
});

afterAll(async () => {
  await server.close();
  await opened.close();
  rmSync(root, { recursive: true, force: true });
});

describe("signing in and out", () => {
  it("anonymous callers are sent to sign in, and come back where they were going", async () => {
    const browser = new Browser();
    const { res } = await browser.request("/orgs/acme/security/secret-scanning?state=all");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `/login?return_to=${encodeURIComponent("/orgs/acme/security/secret-scanning?state=all")}`,
    );
    const signed = await browser.signIn(tokens.owner!, "/orgs/acme/security/secret-scanning?state=all");
    expect(signed.res.status).toBe(303);
    expect(signed.res.headers.get("location")).toBe("/orgs/acme/security/secret-scanning?state=all");
    const cookie = signed.res.headers.getSetCookie().find((c) => c.startsWith("vigil_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const page = await browser.request("/orgs/acme/security/secret-scanning?state=all");
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.res.headers.get("x-frame-options")).toBe("DENY");
    expect(page.res.headers.get("cache-control")).toBe("no-store");
    expect(page.text).toContain("GitHub Personal Access Token");
  });

  it("a wrong token is 401 with the form again, and no session", async () => {
    const browser = new Browser();
    const { res, text } = await browser.signIn("vgl_" + "0".repeat(36));
    expect(res.status).toBe(401);
    expect(text).toContain("That token is not valid");
    expect(browser.cookies.has("vigil_session")).toBe(false);
  });

  it("the sign-in form needs its CSRF token (a form posted from another site is refused)", async () => {
    const browser = new Browser();
    const { res } = await browser.request("/login", { form: { token: tokens.owner! } });
    expect(res.status).toBe(403);
    expect(browser.cookies.has("vigil_session")).toBe(false);
  });

  it("never redirects off the server after sign-in", async () => {
    for (const target of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const { res } = await new Browser().signIn(tokens.owner!, target);
      expect(res.headers.get("location")).toBe("/security");
    }
  });

  it("signing out ends the session on the server: the old cookie no longer works", async () => {
    const { browser, csrf } = await signedIn("owner");
    const stolen = browser.cookies.get("vigil_session")!;
    const refused = await browser.request("/logout", { form: { _csrf: "wrong" } });
    expect(refused.res.status).toBe(403);
    const out = await browser.request("/logout", { form: { _csrf: csrf } });
    expect(out.res.status).toBe(303);
    expect(browser.cookies.has("vigil_session")).toBe(false);
    const replay = new Browser();
    replay.cookies.set("vigil_session", stolen);
    expect((await replay.request("/security")).res.status).toBe(303);
  });

  it("revoking the token ends the sessions signed in with it", async () => {
    const user = await opened.store.createUser({ login: "short-lived" });
    const { token, record } = await opened.store.createToken({ userId: user.id, scopes: ["repo"] });
    const browser = new Browser();
    await browser.signIn(token);
    expect((await browser.request("/security")).res.status).toBe(200);
    await opened.store.revokeToken(record.id);
    expect((await browser.request("/security")).res.status).toBe(303);
  });

  it("marks the cookie Secure behind an https public URL", async () => {
    const secure = createServer({
      store: opened.store,
      pushProtection: opened.pushProtection,
      sessions: opened.sessions,
      storeEnv: {},
      dataDir: root,
      scanHistory: scanRepositoryHistory,
      log: pino({ level: "silent" }),
      publicUrl: "https://vigil.example",
    });
    const login = await secure.app.request("https://vigil.example/login");
    const loginCsrf = login.headers.getSetCookie()[0]!.split(";")[0]!;
    const csrf = hidden(await login.text(), "_csrf");
    const res = await secure.app.request("https://vigil.example/login", {
      method: "POST",
      headers: { cookie: loginCsrf, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, token: tokens.owner! }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("vigil_session="))).toMatch(/; Secure/);
    await secure.close();
  });
});

describe("alert lists", () => {
  it("filters the organization's list by state, pattern kind and validity, with masked secrets only", async () => {
    const { browser } = await signedIn("owner");
    const all = await browser.request("/orgs/acme/security/secret-scanning");
    expect(all.text.match(/<tr>/g)?.length).toBe(1 + 3);
    for (const secret of secrets) expect(all.text).not.toContain(secret);
    expect(all.text).toContain(secrets[0]!.slice(0, 4) + "****");
    const generic = await browser.request("/orgs/acme/security/secret-scanning?kind=generic");
    expect(generic.text).toContain("HTTP Basic Authentication Header");
    expect(generic.text.match(/<tr>/g)?.length).toBe(1 + 1);
    const inactive = await browser.request("/orgs/acme/security/secret-scanning?validity=inactive");
    expect(inactive.text).toContain("No alerts match these filters.");
    const bad = await browser.request("/orgs/acme/security/secret-scanning?validity=shiny");
    expect(bad.res.status).toBe(422);
    expect(bad.text).toContain("Invalid value for validity");
  });

  it("pages with cursors, keeping the filters", async () => {
    for (let i = 0; i < 26; i++) {
      await opened.store.recordDetections(repo.id, [
        detection(
          "github_personal_access_token",
          "GitHub Personal Access Token",
          "GitHub",
          new ExampleRandom(9000 + i).githubToken("ghp"),
          `bulk/${i}.env`,
          1,
        ),
      ]);
    }
    const { browser } = await signedIn("owner");
    const first = await browser.request("/acme/api/security/secret-scanning?state=open");
    expect(first.text.match(/<tr>/g)?.length).toBe(1 + 25);
    const next = /rel="next" href="([^"]+)"/.exec(first.text)![1]!.replace(/&amp;/g, "&");
    expect(next).toContain("state=open");
    const second = await browser.request(next);
    expect(second.text.match(/<tr>/g)?.length).toBe(1 + 3 + 26 - 25);
    expect(second.text).toContain('rel="prev"');
    expect(second.text).not.toContain('rel="next"');
  });

  it("an outsider and a reader get the not-found page; a token without the alert scopes gets 403", async () => {
    for (const who of ["outsider", "reader"]) {
      const { browser } = await signedIn(who);
      for (const path of [
        "/orgs/acme/security/secret-scanning",
        "/acme/api/security/secret-scanning",
        "/acme/api/security/secret-scanning/1",
      ]) {
        const { res, text } = await browser.request(path);
        expect(res.status, `${who} ${path}`).toBe(404);
        expect(text).toContain("Not found");
        expect(text).not.toContain("GitHub Personal Access Token");
      }
    }
    const { browser } = await signedIn("scopeless");
    const { res, text } = await browser.request("/acme/api/security/secret-scanning/1");
    expect(res.status).toBe(403);
    expect(text).toContain("security_events");
  });
});

describe("the alert page", () => {
  it("closes an alert as revoked with a comment: the timeline and the API show it; reopening is recorded too", async () => {
    const { browser, csrf } = await signedIn("owner");
    const page = await browser.request("/acme/api/security/secret-scanning/2");
    expect(page.res.status).toBe(200);
    expect(page.text).not.toContain(secrets[1]);
    expect(page.text).toContain("config/1.env:3");
    const comment = `Rotated <b>today</b> & "revoked" at the provider`;
    const closed = await browser.request("/acme/api/security/secret-scanning/2", {
      form: { _csrf: csrf, action: "close", resolution: "revoked", comment },
    });
    expect(closed.res.status).toBe(303);
    expect(closed.res.headers.get("location")).toBe("/acme/api/security/secret-scanning/2");
    const after = await browser.request("/acme/api/security/secret-scanning/2");
    expect(textOf(after.text)).toContain("Closed as revoked by owner: Rotated &lt;b&gt;today&lt;/b&gt;");
    // The comment is text, never markup.
    expect(after.text).toContain("Rotated &lt;b&gt;today&lt;/b&gt; &amp; &quot;revoked&quot; at the provider");
    expect(after.text).not.toContain("<b>today</b>");
    expect(await apiAlert(2)).toMatchObject({
      state: "resolved",
      resolution: "revoked",
      resolution_comment: comment,
      resolved_by: { login: "owner" },
    });

    const again = await browser.request("/acme/api/security/secret-scanning/2", {
      form: { _csrf: csrf, action: "reopen", comment: "still in use" },
    });
    expect(again.res.status).toBe(303);
    const reopened = await browser.request("/acme/api/security/secret-scanning/2");
    expect(textOf(reopened.text)).toContain("Reopened by owner: still in use");
    expect(await apiAlert(2)).toMatchObject({ state: "open", resolution: null });
  });

  it("refuses a close without a reason (422), an over-long comment (400) or a missing CSRF token (403), changing nothing", async () => {
    const { browser, csrf } = await signedIn("owner");
    const noReason = await browser.request("/acme/api/security/secret-scanning/3", {
      form: { _csrf: csrf, action: "close" },
    });
    expect(noReason.res.status).toBe(422);
    expect(noReason.text).toContain("You must provide resolution");
    const long = await browser.request("/acme/api/security/secret-scanning/3", {
      form: { _csrf: csrf, action: "close", resolution: "wont_fix", comment: "x".repeat(281) },
    });
    expect(long.res.status).toBe(400);
    expect(long.text).toContain("at most 280 characters");
    const forged = await browser.request("/acme/api/security/secret-scanning/3", {
      form: { action: "close", resolution: "wont_fix" },
    });
    expect(forged.res.status).toBe(403);
    expect(await apiAlert(3)).toMatchObject({ state: "open" });
  });

  it("an alert's html_url in the API is its page", async () => {
    expect((await apiAlert(1)).html_url).toBe(`${BASE}/acme/api/security/secret-scanning/1`);
  });

  it("links each location through the repository's web link template", async () => {
    await opened.store.updateRepository(repo.id, {
      webUrlTemplate: "https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}",
    });
    const { browser } = await signedIn("owner");
    const { text } = await browser.request("/acme/api/security/secret-scanning/1");
    expect(text).toMatch(/href="https:\/\/git\.example\/acme\/api\/blob\/[0-9a-f]{40}\/config\/0\.env#L3"/);
    await opened.store.updateRepository(repo.id, { webUrlTemplate: null });
  });

  it("an unknown or non-canonical alert number is the not-found page", async () => {
    const { browser } = await signedIn("owner");
    for (const n of ["999", "01", "0x1"])
      expect((await browser.request(`/acme/api/security/secret-scanning/${n}`)).res.status).toBe(404);
  });
});
