import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Repository } from "../alerts/types.js";
import { createServer, type VigilServer } from "../server/create-server.js";
import { scanRepositoryHistory } from "../server/scan-repository-history.js";
import { openStore, type OpenedStore } from "../store/index.js";
import { detection } from "../test-support/api-fixture.js";
import { ISSUER_FAKES, startIssuerFakes, type RunningFake } from "../test-support/issuer-fakes.js";

const BASE = "http://vigil.test";
let root: string;
let opened: OpenedStore;
let server: VigilServer;
let fake: RunningFake;
let repo: Repository;
let token: string;
const live = `live-${randomBytes(12).toString("hex")}`;

/** Sign-in and one alert page, with cookies kept between requests and redirects not followed. */
class Browser {
  cookie = "";
  async request(path: string, form?: Record<string, string>): Promise<{ status: number; text: string }> {
    const res = await server.app.request(`${BASE}${path}`, {
      method: form ? "POST" : "GET",
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const set = res.headers.getSetCookie()[0];
    if (set) this.cookie = set.split(";")[0]!;
    return { status: res.status, text: await res.text() };
  }
}
const field = (page: string, name: string): string =>
  new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(page)?.[1] ?? "";
const textOf = (page: string): string => page.replace(/<[^>]*>/g, "").replace(/\s+/g, " ");

beforeAll(async () => {
  fake = await startIssuerFakes([ISSUER_FAKES.slack_api_token!], [{ secret: live }]);
  root = mkdtempSync(join(tmpdir(), "vigil-verify-"));
  const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 3).toString("base64") };
  opened = await openStore({ dataDir: root, env });
  server = createServer({
    store: opened.store,
    pushProtection: opened.pushProtection,
    sessions: opened.sessions,
    validity: opened.validity,
    validityChecker: { testOnlyOrigin: fake.origin },
    storeEnv: { VIGIL_DATA_DIR: root, ...env },
    dataDir: root,
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
  });
  repo = await server.repositories.register({ owner: "acme", name: "api", sourceUrl: null });
  await opened.store.recordDetections(repo.id, [
    detection("slack_api_token", "Slack API Token", "Slack", live, "bot.env", 1),
  ]);
  const owner = await opened.store.createUser({ login: "owner" });
  token = (await opened.store.createToken({ userId: owner.id, scopes: ["repo", "security_events"] })).token;
  await opened.store.setOrgRole(repo.orgId, owner.id, "owner");
});

afterAll(async () => {
  await server.close();
  await opened.close();
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

describe("the alert page's Verify secret button", () => {
  it("is absent, and refused, while the organization has not enabled validity checks", async () => {
    const browser = new Browser();
    const login = await browser.request("/login");
    expect(
      (
        await browser.request("/login", {
          _csrf: field(login.text, "_csrf"),
          return_to: field(login.text, "return_to"),
          token,
        })
      ).status,
    ).toBe(303);
    const page = await browser.request("/acme/api/security/secret-scanning/1");
    expect(page.text).not.toContain("Verify secret");
    const refused = await browser.request("/acme/api/security/secret-scanning/1", {
      action: "verify",
      _csrf: field(page.text, "_csrf"),
    });
    expect(refused.status).toBe(422);
    expect(textOf(refused.text)).toContain("Validity checks are not enabled for this organization");
    expect(fake.requests).toHaveLength(0);
  });

  it("checks the secret now and shows the result, the time of the check and the timeline entry", async () => {
    await opened.validity.setEnabled(repo.orgId, true);
    const browser = new Browser();
    const login = await browser.request("/login");
    await browser.request("/login", {
      _csrf: field(login.text, "_csrf"),
      return_to: field(login.text, "return_to"),
      token,
    });
    const before = await browser.request("/acme/api/security/secret-scanning/1");
    expect(before.text).toContain("Verify secret");
    expect(textOf(before.text)).toMatch(/Validity unknown/);
    const posted = await browser.request("/acme/api/security/secret-scanning/1", {
      action: "verify",
      _csrf: field(before.text, "_csrf"),
    });
    expect(posted.status).toBe(303);
    const after = textOf((await browser.request("/acme/api/security/secret-scanning/1")).text);
    expect(after).toMatch(/Validity active · checked .* \(HTTP 200\)/);
    expect(after).toContain("Validity active (was unknown) · checked by owner");
    expect(after).not.toContain(live);
    expect(fake.requests).toHaveLength(1);
  });
});
