import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";
import { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from "../test-support/webhook-receiver.js";

const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES_URL;
if (!POSTGRES_URL)
  console.warn("custom-patterns.e2e: VIGIL_TEST_POSTGRES_URL is not set; the PostgreSQL run is skipped");

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Dev",
  GIT_AUTHOR_EMAIL: "dev@example.com",
  GIT_COMMITTER_NAME: "Dev",
  GIT_COMMITTER_EMAIL: "dev@example.com",
  GIT_TERMINAL_PROMPT: "0",
};

interface PatternJson {
  id: number;
  name: string;
  slug: string;
  state: string;
  pattern: string;
  push_protection_enabled: boolean;
  custom_pattern_version: string;
}
interface AlertJson {
  number: number;
  secret: string;
  secret_type: string;
  secret_type_display_name: string;
  state: string;
  resolution: string | null;
}
interface ErrorJson {
  status: number;
  response: {
    data: { message: string; validation_errors?: Record<string, { errors: { code: string; message: string }[] }> };
  };
}

/** Vigil's field on a created pattern (GitHub's REST creates published ones): publish after a dry run. Octokit's types do not know it. */
const UNPUBLISHED = { state: "unpublished" } as object;

async function until<T>(what: string, get: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${ms} ms; last: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** GitHub's custom-pattern REST routes, through a real `vigil serve`, GitHub's client and git pushes. */
describe.each([
  { dialect: "sqlite", url: undefined as string | undefined },
  { dialect: "postgres", url: POSTGRES_URL },
])("custom patterns through vigil serve ($dialect)", ({ dialect, url }) => {
  const skip = dialect === "postgres" && !url;
  let server: RunningServer;
  let work: string;
  let admin: Octokit;
  let dev: Octokit;
  let pattern: PatternJson;
  let receiver: WebhookReceiver;
  const random = new ExampleRandom(dialect === "sqlite" ? 1401 : 1402);
  const hookSecret = random.alnum(32);
  // The organization's own token format, which no built-in pattern knows.
  const live = `acme_live_${random.alnum(24)}`;
  const test = `acme_test_${random.alnum(24)}`;
  const REPO = "/repos/{owner}/{repo}/secret-scanning/custom-patterns";
  const ORG = "/orgs/{org}/secret-scanning/custom-patterns";

  const git = (...args: string[]) => spawnSync("git", args, { cwd: work, env: GIT_ENV, encoding: "utf8" });
  const commitFile = (name: string, content: string): void => {
    writeFileSync(join(work, name), content);
    expect(git("add", name).status).toBe(0);
    expect(git("commit", "-qm", `add ${name}`).status).toBe(0);
  };
  const alertsOf = async (type: string): Promise<AlertJson[]> =>
    (
      await admin.request("GET /repos/{owner}/{repo}/secret-scanning/alerts", {
        owner: "acme",
        repo: "app",
        secret_type: type,
        state: undefined,
        per_page: 100,
      })
    ).data as AlertJson[];
  const fail = (e: unknown): ErrorJson => e as ErrorJson;
  /** The `secret_scanning_scan` delivery of this scan type, as the receiver got it (signature checked by @octokit/webhooks). */
  const scanEvent = (type: string): Promise<ReceivedDelivery> =>
    until(
      `secret_scanning_scan ${type}`,
      () =>
        Promise.resolve(
          receiver.received.find(
            (d) => d.headers["x-github-event"] === "secret_scanning_scan" && d.payload.type === type,
          ),
        ),
      (d) => d !== undefined,
    ) as Promise<ReceivedDelivery>;

  beforeAll(async () => {
    if (skip) return;
    receiver = await startWebhookReceiver({ secret: hookSecret });
    server = await startVigilServer({ ...(url ? { postgresUrl: url } : {}), extraArgs: ["--allow-private-webhooks"] });
    expect(server.cli(["repo", "add", "acme/app"]).status).toBe(0);
    const adminToken = server
      .cli([
        "token",
        "create",
        "--user",
        "admin",
        "--scopes",
        "repo,security_events,write:org,admin:enterprise,admin:repo_hook",
      ])
      .stdout.trim();
    const devToken = server.cli(["token", "create", "--user", "dev", "--scopes", "repo"]).stdout.trim();
    expect(server.cli(["grant", "dev", "--repo", "acme/app", "--role", "write"]).status).toBe(0);
    admin = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: adminToken });
    dev = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: devToken });
    // A subscriber to GitHub's scan event, as a repository administrator makes one.
    await admin.rest.repos.createWebhook({
      owner: "acme",
      repo: "app",
      config: { url: receiver.url, content_type: "json", secret: hookSecret },
      events: ["secret_scanning_scan"],
    });
    work = mkdtempSync(join(tmpdir(), "vigil-custom-patterns-"));
    execFileSync(
      "git",
      ["clone", "-q", `${server.url.replace("http://", `http://dev:${devToken}@`)}/acme/app.git`, work],
      { env: GIT_ENV, stdio: "pipe" },
    );
    commitFile("deploy.env", `ACME_LIVE_KEY=${live}\nACME_TEST_KEY=${test}\n`);
    expect(git("push", "origin", "HEAD:main").status).toBe(0);
  }, 60_000);

  afterAll(async () => {
    if (skip) return;
    await server?.stop();
    await receiver?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    "refuses hostile and broken patterns with GitHub's validation errors by index, and creates none of the batch",
    async () => {
      const alternatives = Array.from({ length: 2000 }, (_, i) => `k${i}[a-z]{4,9}`).join("|");
      const error = fail(
        await admin
          .request(`POST ${REPO}`, {
            owner: "acme",
            repo: "app",
            patterns: [
              { name: "fine", pattern: "fine_[a-z0-9]{20}" },
              { name: "unclosed", pattern: "(acme|beta" },
              { name: "empty", pattern: "[a-z]*" },
              { name: "backreference", pattern: "(a+)\\1" },
              { name: "enormous", pattern: alternatives },
              { name: "bad delimiter", pattern: "x_[a-z]{10}", start_delimiter: "(?<=x)" },
            ],
          })
          .catch((e: unknown) => e),
      );
      expect(error.status).toBe(422);
      const errors = error.response.data.validation_errors!;
      expect(Object.keys(errors).sort()).toEqual(["1", "2", "3", "4", "5"]);
      expect(errors["2"]!.errors[0]).toMatchObject({ code: "invalid", message: expect.stringMatching(/empty string/) });
      expect(errors["4"]!.errors[0]!.message).toMatch(/too large to scan at speed/);
      expect(errors["5"]!.errors[0]!.code).toBe("start_delimiter");
      expect((await admin.request(`GET ${REPO}`, { owner: "acme", repo: "app" })).data).toEqual([]);
    },
  );

  it.skipIf(skip)("creates an unpublished pattern in GitHub's shape; a repository writer cannot see it", async () => {
    const { status, data } = await admin.request(`POST ${REPO}`, {
      owner: "acme",
      repo: "app",
      patterns: [
        {
          name: "Acme key",
          pattern: "acme_(?:live|test)_[A-Za-z0-9]{24}",
          must_match: ["[0-9]"],
          ...UNPUBLISHED,
        },
      ],
    });
    expect(status).toBe(201);
    pattern = (data as { created_patterns: PatternJson[] }).created_patterns[0]!;
    expect(pattern).toMatchObject({
      name: "Acme key",
      slug: "acme-key",
      state: "unpublished",
      push_protection_enabled: false,
      start_delimiter: "\\A|[^0-9A-Za-z]",
      must_match: ["[0-9]"],
      must_not_match: null,
    });
    expect(pattern.custom_pattern_version).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(fail(await dev.request(`GET ${REPO}`, { owner: "acme", repo: "app" }).catch((e: unknown) => e)).status).toBe(
      404,
    );
    const duplicate = fail(
      await admin
        .request(`POST ${REPO}`, {
          owner: "acme",
          repo: "app",
          patterns: [{ name: "acme KEY", pattern: "x_[a-z]{12}" }],
        })
        .catch((e: unknown) => e),
    );
    expect(duplicate.response.data.validation_errors!["0"]!.errors[0]!.code).toBe("name");
  });

  it.skipIf(skip)("a dry run reports matches in the history, masked unless asked for, and opens no alert", async () => {
    const started = await admin.request(`POST ${REPO}/{pattern_id}/dry-runs`, {
      owner: "acme",
      repo: "app",
      pattern_id: pattern.id,
      repositories: ["acme/app"],
    });
    expect(started.status).toBe(202);
    const latest = (hide?: string) =>
      admin.request(`GET ${REPO}/{pattern_id}/dry-runs/latest`, {
        owner: "acme",
        repo: "app",
        pattern_id: pattern.id,
        ...(hide ? { hide_secret: hide } : {}),
      });
    const done = await until(
      "dry run",
      async () =>
        (await latest()).data as { status: string; result_count: number; results: { secret: string; path: string }[] },
      (d) => d.status === "completed" || d.status === "failed",
    );
    expect(done.status).toBe("completed");
    expect(done.result_count).toBe(2);
    expect(done.results.map((r) => r.path)).toEqual(["deploy.env", "deploy.env"]);
    expect(JSON.stringify(done)).not.toContain(live);
    const shown = (await latest("false")).data as { results: { secret: string }[] };
    expect(shown.results.map((r) => r.secret).sort()).toEqual([live, test].sort());
    expect(await alertsOf(`cp_${pattern.id}`)).toEqual([]);
  });

  it.skipIf(skip)(
    "publishing backfills the history with the pattern alone: one alert per secret under cp_<id>",
    async () => {
      const { data } = await admin.request(`PATCH ${REPO}/{pattern_id}`, {
        owner: "acme",
        repo: "app",
        pattern_id: pattern.id,
        custom_pattern_version: pattern.custom_pattern_version,
        state: "published",
      });
      expect(data).toMatchObject({ state: "published", custom_pattern_version: pattern.custom_pattern_version });
      pattern = data as PatternJson;
      const alerts = await until(
        "backfill alerts",
        () => alertsOf(`cp_${pattern.id}`),
        (a) => a.length === 2,
      );
      expect(alerts.map((a) => a.secret).sort()).toEqual([live, test].sort());
      expect(alerts[0]).toMatchObject({ secret_type_display_name: "Acme key", state: "open" });
      const history = (
        await admin.request("GET /repos/{owner}/{repo}/secret-scanning/scan-history", { owner: "acme", repo: "app" })
      ).data as { custom_pattern_backfill_scans: { status: string; pattern_name: string; pattern_scope: string }[] };
      expect(history.custom_pattern_backfill_scans).toContainEqual(
        expect.objectContaining({ status: "completed", pattern_name: "Acme key", pattern_scope: "repository" }),
      );
      // The backfill's end is GitHub's `secret_scanning_scan` webhook, signed, sent by who published.
      const scan = await scanEvent("custom-pattern-backfill");
      expect(scan.verified).toBe(true);
      expect(scan.payload).toMatchObject({
        action: "completed",
        type: "custom-pattern-backfill",
        source: "git",
        secret_types: [],
        custom_pattern_name: "Acme key",
        custom_pattern_scope: "repository",
        repository: { full_name: "acme/app" },
        organization: { login: "acme" },
        sender: { login: "admin" },
      });
      const { started_at, completed_at } = scan.payload as { started_at: string; completed_at: string };
      expect(started_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(completed_at)).toBeGreaterThanOrEqual(Date.parse(started_at));
    },
  );

  it.skipIf(skip)(
    "an edit with a stale version is refused (412); an edit closes what it no longer matches as pattern_edited",
    async () => {
      const stale = fail(
        await admin
          .request(`PATCH ${REPO}/{pattern_id}`, {
            owner: "acme",
            repo: "app",
            pattern_id: pattern.id,
            custom_pattern_version: "0ujsswThIGTUYm2K8FjOOfXtY1K",
            pattern: "acme_live_[A-Za-z0-9]{24}",
          })
          .catch((e: unknown) => e),
      );
      expect(stale.status).toBe(412);
      const { data } = await admin.request(`PATCH ${REPO}/{pattern_id}`, {
        owner: "acme",
        repo: "app",
        pattern_id: pattern.id,
        custom_pattern_version: pattern.custom_pattern_version,
        pattern: "acme_live_[A-Za-z0-9]{24}",
      });
      expect((data as PatternJson).custom_pattern_version).not.toBe(pattern.custom_pattern_version);
      pattern = data as PatternJson;
      const alerts = await until(
        "pattern_edited",
        () => alertsOf(`cp_${pattern.id}`),
        (a) => a.some((x) => x.resolution === "pattern_edited"),
      );
      expect(alerts.find((a) => a.secret === test)).toMatchObject({ state: "resolved", resolution: "pattern_edited" });
      expect(alerts.find((a) => a.secret === live)).toMatchObject({ state: "open", resolution: null });
      const scan = await scanEvent("pattern-version-backfill");
      expect(scan.verified).toBe(true);
      expect(scan.payload).toMatchObject({
        custom_pattern_name: "Acme key",
        custom_pattern_scope: "repository",
        sender: { login: "admin" },
      });
      // The scan history lists both scans of the pattern.
      const history = (
        await admin.request("GET /repos/{owner}/{repo}/secret-scanning/scan-history", { owner: "acme", repo: "app" })
      ).data as { custom_pattern_backfill_scans: { status: string; pattern_name: string }[] };
      expect(
        history.custom_pattern_backfill_scans.filter((x) => x.pattern_name === "Acme key" && x.status === "completed"),
      ).toHaveLength(2);
    },
  );

  it.skipIf(skip)("with push protection enabled on it, the pattern blocks a push; before, it does not", async () => {
    const before = `acme_live_${random.alnum(24)}`;
    commitFile("before.env", `KEY=${before}\n`);
    expect(git("push", "origin", "HEAD:main").status).toBe(0);
    // The accepted push is scanned with the published pattern: an alert, not a block.
    await until(
      "alert of the pushed secret",
      () => alertsOf(`cp_${pattern.id}`),
      (a) => a.some((x) => x.secret === before),
    );
    const { data } = await admin.request(`PATCH ${REPO}/{pattern_id}`, {
      owner: "acme",
      repo: "app",
      pattern_id: pattern.id,
      custom_pattern_version: pattern.custom_pattern_version,
      push_protection_enabled: true,
    });
    expect(data).toMatchObject({ push_protection_enabled: true });
    pattern = data as PatternJson;
    commitFile("after.env", `KEY=acme_live_${random.alnum(24)}\n`);
    const pushed = git("push", "origin", "HEAD:main");
    expect(pushed.status).not.toBe(0);
    expect(pushed.stderr).toContain("Acme key");
    expect(pushed.stderr).toMatch(/path: after\.env:1/);
    expect(git("reset", "-q", "--hard", "HEAD~1").status).toBe(0);
  });

  it.skipIf(skip)("deleting with resolve_alerts closes the pattern's alerts as pattern_deleted", async () => {
    const unknown = fail(
      await admin
        .request(`DELETE ${REPO}`, { owner: "acme", repo: "app", patterns: [{ pattern_id: 999999 }] })
        .catch((e: unknown) => e),
    );
    expect(unknown.status).toBe(404);
    const stale = fail(
      await admin
        .request(`DELETE ${REPO}`, {
          owner: "acme",
          repo: "app",
          patterns: [{ pattern_id: pattern.id, custom_pattern_version: "0ujsswThIGTUYm2K8FjOOfXtY1K" }],
        })
        .catch((e: unknown) => e),
    );
    expect(stale.status).toBe(412);
    const deleted = await admin.request(`DELETE ${REPO}`, {
      owner: "acme",
      repo: "app",
      patterns: [{ pattern_id: pattern.id, custom_pattern_version: pattern.custom_pattern_version }],
      post_delete_action: "resolve_alerts",
    });
    expect(deleted.status).toBe(204);
    const alerts = await alertsOf(`cp_${pattern.id}`);
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    expect(alerts.filter((a) => a.state === "open")).toEqual([]);
    expect(alerts.find((a) => a.secret === live)).toMatchObject({ resolution: "pattern_deleted" });
    expect((await admin.request(`GET ${REPO}`, { owner: "acme", repo: "app" })).data).toEqual([]);
  });

  it.skipIf(skip)(
    "organization patterns: listed by name with GitHub's pagination; deleting them deletes their alerts by default",
    async () => {
      const created = await admin.request(`POST ${ORG}`, {
        org: "acme",
        patterns: [
          { name: "Zeta token", pattern: "zeta_[a-f0-9]{32}", ...UNPUBLISHED },
          { name: "Alpha token", pattern: "alpha_[a-f0-9]{32}", ...UNPUBLISHED },
          { name: "Acme org key", pattern: "acme_test_[A-Za-z0-9]{24}" },
        ],
      });
      const [zeta, alpha, orgKey] = (created.data as { created_patterns: PatternJson[] }).created_patterns;
      const page = await admin.request(`GET ${ORG}`, { org: "acme", sort: "name", direction: "asc", per_page: 2 });
      expect((page.data as PatternJson[]).map((p) => p.name)).toEqual(["Acme org key", "Alpha token"]);
      expect(page.headers.link).toMatch(/page=2>; rel="next"/);
      const published = await admin.request(`GET ${ORG}`, { org: "acme", state: "unpublished" });
      expect((published.data as PatternJson[]).map((p) => p.id).sort()).toEqual([zeta!.id, alpha!.id].sort());
      await until(
        "organization backfill",
        () => alertsOf(`cp_${orgKey!.id}`),
        (a) => a.length === 1,
      );
      const bad = fail(
        await admin.request(`GET ${ORG}`, { org: "acme", sort: "size" as never }).catch((e: unknown) => e),
      );
      expect(bad.status).toBe(422);
      await admin.request(`DELETE ${ORG}`, {
        org: "acme",
        patterns: [{ pattern_id: orgKey!.id }, { pattern_id: zeta!.id }, { pattern_id: alpha!.id }],
      });
      expect(await alertsOf(`cp_${orgKey!.id}`)).toEqual([]);
    },
  );

  it.skipIf(skip)(
    "lists page by GitHub's cursors (before/after) and by pages; octokit.paginate walks both; a cursor survives a deletion",
    async () => {
      const names = ["page c", "Page A", "page e", "Page B", "page g", "Page D", "page f"];
      const created = (
        await admin.request(`POST ${ORG}`, {
          org: "acme",
          patterns: names.map((name, i) => ({ name, pattern: `pg${i}_[a-z0-9]{20}`, ...UNPUBLISHED })),
        })
      ).data as { created_patterns: PatternJson[] };
      const byName = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
      const list = { org: "acme", sort: "name", direction: "asc", state: "unpublished", per_page: 3 } as const;
      const walked = await admin.paginate(`GET ${ORG}`, { ...list, after: "" });
      expect((walked as PatternJson[]).map((p) => p.name)).toEqual(byName);
      const paged = await admin.paginate(`GET ${ORG}`, { ...list, direction: "desc" });
      expect((paged as PatternJson[]).map((p) => p.name)).toEqual([...byName].reverse());

      const rels = (link: string | undefined) =>
        Object.fromEntries(
          [...(link ?? "").matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [m[2]!, new URL(m[1]!).searchParams]),
        );
      const first = await admin.request(`GET ${ORG}`, { ...list, after: "" });
      expect((first.data as PatternJson[]).map((p) => p.name)).toEqual(byName.slice(0, 3));
      const firstLinks = rels(first.headers.link);
      expect(Object.keys(firstLinks)).toEqual(["next"]);
      expect(firstLinks.next!.get("sort")).toBe("name");
      const after = firstLinks.next!.get("after")!;
      // The first page's first pattern goes: the next page is still the one after what was seen.
      const gone = (first.data as PatternJson[])[0]!;
      await admin.request(`DELETE ${ORG}`, { org: "acme", patterns: [{ pattern_id: gone.id }] });
      const second = await admin.request(`GET ${ORG}`, { ...list, after });
      expect((second.data as PatternJson[]).map((p) => p.name)).toEqual(byName.slice(3, 6));
      const secondLinks = rels(second.headers.link);
      expect(Object.keys(secondLinks).sort()).toEqual(["next", "prev"]);
      const back = await admin.request(`GET ${ORG}`, { ...list, before: secondLinks.prev!.get("before")! });
      expect((back.data as PatternJson[]).map((p) => p.name)).toEqual(byName.slice(1, 3));
      const last = await admin.request(`GET ${ORG}`, { ...list, after: secondLinks.next!.get("after")! });
      expect((last.data as PatternJson[]).map((p) => p.name)).toEqual(byName.slice(6));
      expect(Object.keys(rels(last.headers.link))).toEqual(["prev"]);

      for (const bad of [
        { after: "not-a-cursor" },
        { after, sort: "created" as const },
        { after, before: after },
      ]) {
        const error = fail(await admin.request(`GET ${ORG}`, { ...list, ...bad }).catch((e: unknown) => e));
        expect(error.status, JSON.stringify(bad)).toBe(422);
      }
      await admin.request(`DELETE ${ORG}`, {
        org: "acme",
        patterns: created.created_patterns.filter((p) => p.id !== gone.id).map((p) => ({ pattern_id: p.id })),
      });
    },
  );

  it.skipIf(skip)(
    "a repository holds at most 100 patterns (GitHub's limit): a batch past it is refused whole",
    async () => {
      const patterns = Array.from({ length: 101 }, (_, i) => ({
        name: `limit ${i}`,
        pattern: `lim${i}_[a-z0-9]{16}`,
        state: "unpublished",
      }));
      const error = fail(
        await admin.request(`POST ${REPO}`, { owner: "acme", repo: "app", patterns }).catch((e: unknown) => e),
      );
      expect(error.status).toBe(422);
      expect(error.response.data.message).toMatch(/at most 100 custom patterns/);
      const enterprise = await admin.request("POST /enterprises/{enterprise}/secret-scanning/custom-patterns", {
        enterprise: "vigil",
        patterns: [{ name: "Enterprise key", pattern: "ent_[a-z0-9]{20}", state: "unpublished" }],
      });
      expect(enterprise.status).toBe(201);
      expect(
        (
          (
            await admin.request("GET /enterprises/{enterprise}/secret-scanning/custom-patterns", {
              enterprise: "vigil",
            })
          ).data as PatternJson[]
        ).map((p) => p.name),
      ).toEqual(["Enterprise key"]);
    },
  );
});
