import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenScope } from "../alerts/alert-store.js";
import type { Organization, Repository } from "../alerts/types.js";
import { createServer, type VigilServer } from "../server/create-server.js";
import { scanRepositoryHistory } from "../server/scan-repository-history.js";
import { openStore, type OpenedStore } from "../store/index.js";
import { detection } from "../test-support/api-fixture.js";
import { hiddenField, PageClient, textOf } from "../test-support/page-client.js";

let root: string;
let opened: OpenedStore;
let server: VigilServer;
let api: Repository;
let web: Repository;
let org: Organization;
const tokens: Record<string, string> = {};
const secrets: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "vigil-security-pages-"));
  const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 21).toString("base64") };
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
  api = await server.repositories.register({ owner: "acme", name: "api", sourceUrl: null });
  web = await server.repositories.register({ owner: "acme", name: "web", sourceUrl: null });
  const random = new ExampleRandom(4242);
  for (let i = 0; i < 4; i++) {
    secrets.push(random.githubToken("ghp"));
    await store.recordDetections(i < 3 ? api.id : web.id, [
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
  org = (await store.getOrganization("acme"))!;
  const make = async (login: string, scopes: TokenScope[]) => {
    const user = await store.createUser({ login });
    tokens[login] = (await store.createToken({ userId: user.id, scopes })).token;
    return user;
  };
  const all: TokenScope[] = ["repo", "security_events", "read:org", "write:org", "admin:org", "admin:org_hook"];
  await store.setOrgRole(org.id, (await make("owner", all)).id, "owner");
  await store.setOrgRole(org.id, (await make("manager", all)).id, "security_manager");
  await store.setRepoRole(api.id, (await make("admin", all)).id, "admin");
  await store.setRepoRole(api.id, (await make("writer", all)).id, "write");
  await store.setRepoRole(api.id, (await make("reader", all)).id, "read");
});

afterAll(async () => {
  await server?.close();
  await opened?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function signedIn(login: string): Promise<{ client: PageClient; csrf: string }> {
  const client = new PageClient(server.app);
  return { client, csrf: await client.signIn(tokens[login]!) };
}

async function apiGet(path: string, login = "owner"): Promise<unknown> {
  const res = await server.app.request(`http://vigil.test/api/v3${path}`, {
    headers: { authorization: `token ${tokens[login]}` },
  });
  return res.json();
}

describe("the alert page", () => {
  it("reveals the secret only on request, and records who revealed it in the timeline", async () => {
    const { client, csrf } = await signedIn("manager");
    const before = await client.request("/acme/api/security/secret-scanning/1");
    expect(before.text).not.toContain(secrets[0]);
    const revealed = await client.request("/acme/api/security/secret-scanning/1", {
      form: { _csrf: csrf, action: "reveal" },
    });
    expect(revealed.res.status).toBe(200);
    expect(revealed.text).toContain(secrets[0]);
    expect(revealed.res.headers.get("cache-control")).toBe("no-store");
    const after = await client.request("/acme/api/security/secret-scanning/1");
    expect(after.text).not.toContain(secrets[0]);
    expect(textOf(after.text)).toContain("Secret revealed to manager");
    const alert = (await opened.store.getAlert(api.id, 1))!;
    const events = await opened.store.listEvents(alert.id);
    const entry = events.find((e) => e.action === "secret_revealed")!;
    expect(entry.actorId).not.toBeNull();
    expect(JSON.stringify(entry.payload)).not.toContain(secrets[0]);
  });

  it("assigns and unassigns through the API's rule (write access), shown in the timeline, the API and the list filter", async () => {
    const { client, csrf } = await signedIn("manager");
    const refused = await client.request("/acme/api/security/secret-scanning/2", {
      form: { _csrf: csrf, action: "assign", assignee: "reader" },
    });
    expect(refused.res.status).toBe(422);
    expect(textOf(refused.text)).toContain("Assignee does not have write access to the repository");
    const assigned = await client.request("/acme/api/security/secret-scanning/2", {
      form: { _csrf: csrf, action: "assign", assignee: "writer" },
    });
    expect(assigned.res.status).toBe(303);
    expect(await apiGet("/repos/acme/api/secret-scanning/alerts/2")).toMatchObject({
      assigned_to: { login: "writer" },
    });
    expect(textOf((await client.request("/acme/api/security/secret-scanning/2")).text)).toContain(
      "Assigned writer by manager",
    );
    const list = await client.request("/orgs/acme/security/secret-scanning?assignee=writer");
    expect(list.text.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(1);
    expect(list.text).toContain('href="/acme/api/security/secret-scanning/2"');
    await client.request("/acme/api/security/secret-scanning/2", { form: { _csrf: csrf, action: "unassign" } });
    expect(await apiGet("/repos/acme/api/secret-scanning/alerts/2")).toMatchObject({ assigned_to: null });
  });

  it("shows where to revoke the secret for its provider", async () => {
    const { client } = await signedIn("manager");
    const { text } = await client.request("/acme/api/security/secret-scanning/3");
    expect(textOf(text)).toContain("Remediation");
    expect(text).toContain('href="https://github.com/settings/tokens"');
  });
});

describe("alert lists", () => {
  const rowsOf = (page: string): number => (page.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g) ?? []).length;

  it("searches with GitHub's qualifiers, narrows to a repository, and names an unknown qualifier", async () => {
    const { client } = await signedIn("owner");
    expect(rowsOf((await client.request("/orgs/acme/security/secret-scanning")).text)).toBe(4);
    expect(rowsOf((await client.request("/orgs/acme/security/secret-scanning?repo=acme/web")).text)).toBe(1);
    expect(
      rowsOf((await client.request("/orgs/acme/security/secret-scanning?q=repo%3Aweb+provider%3Agithub")).text),
    ).toBe(1);
    expect(rowsOf((await client.request("/orgs/acme/security/secret-scanning?q=provider%3Aslack")).text)).toBe(0);
    const bad = await client.request("/orgs/acme/security/secret-scanning?q=colour%3Ablue");
    expect(bad.res.status).toBe(422);
    expect(textOf(bad.text)).toContain("Unknown search term 'colour:blue'");
    const oldest = await client.request("/orgs/acme/security/secret-scanning?sort=created-asc");
    expect(oldest.text.indexOf("/acme/api/security/secret-scanning/1")).toBeLessThan(
      oldest.text.indexOf("/acme/web/security/secret-scanning/1"),
    );
  });

  it("the enterprise list shows every repository the user manages, and 404 to one who manages none", async () => {
    const { client } = await signedIn("admin");
    const page = await client.request("/enterprises/vigil/security/secret-scanning");
    expect(page.res.status).toBe(200);
    expect(rowsOf(page.text)).toBe(3);
    expect(page.text).not.toContain("acme/web");
    const reader = await signedIn("reader");
    expect((await reader.client.request("/enterprises/vigil/security/secret-scanning")).res.status).toBe(404);
  });
});

describe("bulk close and the reviewer queue", () => {
  it("closes the selected alerts with one reason and comment; under dismissal review they wait for a reviewer, who approves in the queue", async () => {
    const { store } = opened;
    const extra = new ExampleRandom(77);
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { created } = await store.recordDetections(api.id, [
        detection(
          "github_personal_access_token",
          "GitHub Personal Access Token",
          "GitHub",
          extra.githubToken("ghp"),
          `bulk/${i}.env`,
          50 + i,
        ),
      ]);
      numbers.push(created[0]!.number);
    }
    const owner = await signedIn("owner");
    const list = await owner.client.request("/acme/api/security/secret-scanning");
    const closed = await owner.client.request("/acme/api/security/secret-scanning", {
      form: {
        _csrf: hiddenField(list.text, "_csrf"),
        alert: [`acme/api#${numbers[0]}`, `acme/api#${numbers[1]}`],
        resolution: "used_in_tests",
        comment: "Fixtures of the integration suite",
      },
    });
    expect(closed.res.status).toBe(303);
    expect(notice(closed.res)).toContain("Closed 2 alerts");
    for (const n of numbers.slice(0, 2))
      expect(await apiGet(`/repos/acme/api/secret-scanning/alerts/${n}`)).toMatchObject({
        state: "resolved",
        resolution: "used_in_tests",
        resolution_comment: "Fixtures of the integration suite",
        resolved_by: { login: "owner" },
      });
    // An alert of another organization's list (or a made-up one) is refused, and nothing changes.
    const foreign = await owner.client.request("/acme/api/security/secret-scanning", {
      form: { _csrf: owner.csrf, alert: ["acme/web#1"], resolution: "revoked" },
    });
    expect(foreign.res.status).toBe(422);
    expect(await apiGet("/repos/acme/web/secret-scanning/alerts/1")).toMatchObject({ state: "open" });

    await opened.reviews.setOrgReviewSettings(org.id, { dismissalReview: true });
    try {
      const admin = await signedIn("admin");
      const requested = await admin.client.request("/acme/api/security/secret-scanning", {
        form: {
          _csrf: admin.csrf,
          alert: [`acme/api#${numbers[2]}`],
          resolution: "false_positive",
          comment: "Not a token",
        },
      });
      expect(notice(requested.res)).toContain("1 sent for review");
      expect(await apiGet(`/repos/acme/api/secret-scanning/alerts/${numbers[2]}`)).toMatchObject({ state: "open" });

      const queue = await owner.client.request("/orgs/acme/security/reviews");
      const text = textOf(queue.text);
      expect(text).toContain("Dismissal requests");
      expect(text).toContain(`alert #${numbers[2]}`);
      expect(text).toContain("False positive: “Not a token”".replace(/[“”]/g, ""));
      const approved = await owner.client.request("/orgs/acme/security/reviews", {
        form: {
          _csrf: owner.csrf,
          kind: "dismissal",
          repo: "api",
          number: String(numbers[2]),
          decision: "approved",
          message: "Checked: a fixture",
        },
      });
      expect(approved.res.status).toBe(303);
      expect(await apiGet(`/repos/acme/api/secret-scanning/alerts/${numbers[2]}`)).toMatchObject({
        state: "resolved",
        resolution: "false_positive",
        resolved_by: { login: "admin" },
      });
      expect(textOf((await owner.client.request(`/acme/api/security/secret-scanning/${numbers[2]}`)).text)).toContain(
        "Closing approved by owner: Checked: a fixture",
      );
      // The queue is the organization managers' page: a repository admin gets the not-found page.
      expect((await admin.client.request("/orgs/acme/security/reviews")).res.status).toBe(404);
    } finally {
      await opened.reviews.setOrgReviewSettings(org.id, { dismissalReview: false });
    }
  });
});

describe("security overview and push protection", () => {
  it("counts open and closed alerts, top types and repositories, from the store's figures", async () => {
    const { client } = await signedIn("manager");
    const { res, text } = await client.request("/orgs/acme/security/overview");
    expect(res.status).toBe(200);
    const all = (await apiGet("/orgs/acme/secret-scanning/alerts?state=open&per_page=100", "manager")) as unknown[];
    expect(hiddenOpen(text)).toBe(all.length);
    for (const chart of [
      "open-over-time-chart",
      "new-per-week-chart",
      "top-types-chart",
      "top-repos-chart",
      "by-validity-chart",
    ])
      expect(text).toContain(`data-chart="${chart}"`);
    const all2 = (await apiGet("/orgs/acme/secret-scanning/alerts?per_page=100", "manager")) as {
      repository: { full_name: string };
      state: string;
    }[];
    const ofApi = all2.filter((a) => a.repository.full_name === "acme/api");
    expect(cellsOf(text)).toContain(
      `Alerts by repository Repository Open Total acme/api ${ofApi.filter((a) => a.state === "open").length} ${ofApi.length}`,
    );
    // Alerts closed by the bulk close above: a mean time to remediate (minutes, in this test).
    expect(/data-testid="mttr">\s*([^<]+?)\s*</.exec(text)![1]).toMatch(/^\d+ min$/);
  });

  it("shows blocked pushes, bypasses and their reasons, from push protection's records", async () => {
    const { pushProtection } = opened;
    await pushProtection.recordPushEvent({
      repoId: api.id,
      pusherId: null,
      outcome: "blocked",
      secretTypes: ["github_personal_access_token"],
    });
    await pushProtection.recordPushEvent({
      repoId: api.id,
      pusherId: null,
      outcome: "blocked",
      secretTypes: ["slack_api_token"],
    });
    await pushProtection.recordPushEvent({
      repoId: web.id,
      pusherId: null,
      outcome: "bypassed",
      secretTypes: ["github_personal_access_token"],
      reason: "used_in_tests",
    });
    const { client } = await signedIn("manager");
    const { text } = await client.request("/orgs/acme/security/push-protection");
    expect(text).toMatch(/data-testid="blocked">\s*2\s*</);
    expect(text).toMatch(/data-testid="bypassed">\s*1\s*</);
    expect(cellsOf(text)).toContain("Bypasses by reason Reason Bypasses Used in tests 1");
    expect(cellsOf(text)).toContain("Pushes by repository Repository Blocked Bypassed acme/api 2 0 acme/web 0 1");
    expect(text).toContain("acme/web</text");
  });
});

describe("settings", () => {
  it("the pattern table saves with its version; a stale version is a 409 with a clear message and changes nothing", async () => {
    const owner = await signedIn("owner");
    const page = (await owner.client.request("/orgs/acme/settings/security?pattern=slack_api_token")).text;
    const version = hiddenField(page, "pattern_config_version");
    expect(page).toContain('name="setting.slack_api_token"');
    // Someone else saves first, through the API.
    const res = await server.app.request("http://vigil.test/api/v3/orgs/acme/secret-scanning/pattern-configurations", {
      method: "PATCH",
      headers: { authorization: `token ${tokens.manager}`, "content-type": "application/json" },
      body: JSON.stringify({
        pattern_config_version: version === "" ? null : version,
        provider_pattern_settings: [{ token_type: "SLACK_API_TOKEN", push_protection_setting: "enabled" }],
      }),
    });
    expect(res.status).toBe(200);
    const stale = await owner.client.request("/orgs/acme/settings/security?pattern=slack_api_token", {
      form: {
        _csrf: owner.csrf,
        action: "patterns",
        pattern_config_version: version,
        "was.slack_api_token": "not-set",
        "setting.slack_api_token": "disabled",
      },
    });
    expect(stale.res.status).toBe(409);
    expect(textOf(stale.text)).toContain("Someone else changed the pattern configuration after you opened this page");
    const config = (await apiGet("/orgs/acme/secret-scanning/pattern-configurations")) as {
      provider_pattern_overrides: { slug: string; setting: string }[];
    };
    expect(config.provider_pattern_overrides.find((p) => p.slug === "slack_api_token")!.setting).toBe("enabled");
    // The page after the 409 carries the current version: saving again works.
    const retry = await owner.client.request("/orgs/acme/settings/security?pattern=slack_api_token", {
      form: {
        _csrf: owner.csrf,
        action: "patterns",
        pattern_config_version: hiddenField(stale.text, "pattern_config_version"),
        "was.slack_api_token": "enabled",
        "setting.slack_api_token": "disabled",
      },
    });
    expect(retry.res.status).toBe(303);
    const after = (await apiGet("/orgs/acme/secret-scanning/pattern-configurations")) as typeof config;
    expect(after.provider_pattern_overrides.find((p) => p.slug === "slack_api_token")!.setting).toBe("disabled");
  });

  it("organization settings are the owners' (a security manager sees them read-only and cannot post them)", async () => {
    const manager = await signedIn("manager");
    const page = await manager.client.request("/orgs/acme/settings/security");
    expect(textOf(page.text)).toContain("Only the organization's owners change these settings");
    const refused = await manager.client.request("/orgs/acme/settings/security", {
      form: {
        _csrf: manager.csrf,
        action: "organization",
        secret_scanning: "on",
        custom_link: "https://wiki.example/s",
      },
    });
    expect(refused.res.status).toBe(403);
    const owner = await signedIn("owner");
    const bad = await owner.client.request("/orgs/acme/settings/security", {
      form: { _csrf: owner.csrf, action: "organization", secret_scanning: "on", custom_link: "not a url" },
    });
    expect(bad.res.status).toBe(422);
    expect(textOf(bad.text)).toContain("Invalid secret_scanning_push_protection_custom_link");
    const saved = await owner.client.request("/orgs/acme/settings/security", {
      form: {
        _csrf: owner.csrf,
        action: "organization",
        secret_scanning: "on",
        custom_link: "https://wiki.example/secrets",
      },
    });
    expect(saved.res.status).toBe(303);
    expect((await opened.store.getOrganization("acme"))!.pushProtectionCustomLink).toBe("https://wiki.example/secrets");
  });

  it("a repository's link template is validated by the API's rule and used by the alert page", async () => {
    const { client, csrf } = await signedIn("admin");
    const bad = await client.request("/acme/api/settings/security", {
      form: { _csrf: csrf, secret_scanning: "on", push_protection: "on", web_url_template: "ftp://x/{path}" },
    });
    expect(bad.res.status).toBe(422);
    expect(textOf(bad.text)).toContain("Invalid web_url_template");
    const ok = await client.request("/acme/api/settings/security", {
      form: {
        _csrf: csrf,
        secret_scanning: "on",
        push_protection: "on",
        web_url_template: "https://code.example/{owner}/{repo}/src/{commit}/{path}#L{line}",
      },
    });
    expect(ok.res.status).toBe(303);
    const alert = await client.request("/acme/api/security/secret-scanning/3");
    expect(alert.text).toMatch(/href="https:\/\/code\.example\/acme\/api\/src\/[0-9a-f]{40}\/config\/2\.env#L3"/);
  });

  it("an owner adds an organization webhook (pinged, as the API does) and deletes it; a security manager cannot", async () => {
    const owner = await signedIn("owner");
    const bad = await owner.client.request("/orgs/acme/settings/security", {
      form: {
        _csrf: owner.csrf,
        action: "webhook-create",
        url: "not a url",
        content_type: "json",
        events: "secret_scanning_alert",
        active: "on",
      },
    });
    expect(bad.res.status).toBe(422);
    expect(textOf(bad.text)).toContain("Validation Failed");
    const added = await owner.client.request("/orgs/acme/settings/security", {
      form: {
        _csrf: owner.csrf,
        action: "webhook-create",
        url: "https://hooks.example/vigil",
        content_type: "json",
        events: ["secret_scanning_alert", "secret_scanning_alert_location"],
        active: "on",
      },
    });
    expect(added.res.status).toBe(303);
    const hooks = (await apiGet("/orgs/acme/hooks")) as { id: number; config: { url: string }; events: string[] }[];
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      config: { url: "https://hooks.example/vigil" },
      events: ["secret_scanning_alert", "secret_scanning_alert_location"],
    });
    const deliveries = (await apiGet(`/orgs/acme/hooks/${hooks[0]!.id}/deliveries`)) as { event: string }[];
    expect(deliveries.map((d) => d.event)).toEqual(["ping"]);
    const page = await owner.client.request("/orgs/acme/settings/security");
    expect(page.text).toContain("https://hooks.example/vigil");

    const manager = await signedIn("manager");
    expect(textOf((await manager.client.request("/orgs/acme/settings/security")).text)).not.toContain("hooks.example");
    const refused = await manager.client.request("/orgs/acme/settings/security", {
      form: { _csrf: manager.csrf, action: "webhook-delete", hook_id: String(hooks[0]!.id) },
    });
    expect(refused.res.status).toBe(404);
    const deleted = await owner.client.request("/orgs/acme/settings/security", {
      form: { _csrf: owner.csrf, action: "webhook-delete", hook_id: String(hooks[0]!.id) },
    });
    expect(deleted.res.status).toBe(303);
    expect(await apiGet("/orgs/acme/hooks")).toEqual([]);
  });
});

/** A page's text with every tag a word break: table cells read apart. */
function cellsOf(page: string): string {
  return page
    .replace(/^[\s\S]*?<main[^>]*>/, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ");
}

function notice(res: Response): string {
  return new URL(res.headers.get("location")!, "http://vigil.test").searchParams.get("bulk") ?? "";
}

function hiddenOpen(page: string): number {
  return Number(/data-testid="open-count">\s*(\d+)\s*</.exec(page)![1]);
}
