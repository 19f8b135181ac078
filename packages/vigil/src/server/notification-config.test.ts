import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VigilError } from "../errors.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { startVigilServer } from "../test-support/vigil-server.js";
import { readNotificationConfig, syncConfiguredSinks } from "./notification-config.js";

const KEY = { VIGIL_SECRET_KEY: Buffer.alloc(32, 6).toString("base64") };

describe("notification sinks from the server's config file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-notify-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (text: string): string => {
    const path = join(dir, "vigil.config.yaml");
    writeFileSync(path, text);
    return path;
  };

  it("reads sinks, taking URLs and tokens from the environment", () => {
    const slackUrl = `https://hooks.slack.com/services/T0/B0/${"x".repeat(24)}`;
    const sinks = readNotificationConfig(
      file(`notifications:
  - name: security-slack
    org: acme
    type: slack
    url_env: SLACK_URL
    filters: { events: [secret_scanning_alert.created], bypass_only: true }
  - name: siem
    org: acme
    type: splunk
    url: https://splunk.example:8088/services/collector/event
    token_env: HEC_TOKEN
`),
      { SLACK_URL: slackUrl, HEC_TOKEN: "hec-token" },
    );
    expect(sinks.map((s) => [s.name, s.org, s.input.kind])).toEqual([
      ["security-slack", "acme", "slack"],
      ["siem", "acme", "splunk"],
    ]);
    expect(sinks[0]!.input).toMatchObject({
      secret: slackUrl,
      url: "https://hooks.slack.com/…",
      settings: { configName: "security-slack", bypassOnly: true, events: ["secret_scanning_alert.created"] },
    });
    expect(sinks[1]!.input.secret).toBe("hec-token");
  });

  it.each([
    ["notifications: {a: 1}", "notifications must be a list"],
    ["notifications:\n  - org: acme\n    type: json\n    url: https://x.example", "notifications[0].name is required"],
    ["notifications:\n  - name: a\n    type: json\n    url: https://x.example", "notifications[0].org is required"],
    [
      "notifications:\n  - {name: a, org: acme, type: json, url: https://x.example}\n  - {name: a, org: acme, type: json, url: https://x.example}",
      '"a" is used twice',
    ],
    ["notifications:\n  - {name: a, org: acme, type: slack, url_env: NOT_SET_HERE}", "NOT_SET_HERE is not set"],
    [
      "notifications:\n  - {name: a, org: acme, type: pager, url: https://x.example}",
      "notifications[0] (a): type: type must be one of",
    ],
    ["notifications: [", "vigil.config.yaml:"],
  ])("%j is refused: %s", (text, message) => {
    const error = (() => {
      try {
        readNotificationConfig(file(text), {});
        return null;
      } catch (e) {
        return e as VigilError;
      }
    })();
    expect(error).toBeInstanceOf(VigilError);
    expect(error!.message).toContain(message);
  });

  it("vigil serve with a bad config file exits 2 with the problem, before it listens", async () => {
    const path = file(
      "notifications:\n  - {name: a, org: acme, type: splunk, url: https://x.example/services/collector/event}",
    );
    await expect(startVigilServer({ extraArgs: ["--config", path] })).rejects.toThrow(
      /exited with 2.*notifications\[0\] \(a\): token/s,
    );
  });

  it("vigil serve creates the file's sinks; the API shows them as config-managed", async () => {
    const path = file(
      "notifications:\n  - {name: all-json, org: acme, type: json, url: https://receiver.example/vigil}",
    );
    const server = await startVigilServer({ extraArgs: ["--config", path] });
    try {
      const token = server.cli(["token", "create", "--user", "admin", "--scopes", "admin:org_hook"]).stdout.trim();
      const res = await fetch(`${server.url}/api/v3/orgs/acme/notification-sinks`, {
        headers: { authorization: `token ${token}` },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject([
        { type: "json", target: "https://receiver.example/vigil", config_name: "all-json" },
      ]);
    } finally {
      await server.stop();
    }
  });
});

describe.each(testDialects())("syncing config-managed sinks on $name", (dialect) => {
  const skip = dialect.name === "postgres" && !dialect.url;
  let t: TestStore;
  beforeEach(async () => {
    if (!skip) t = await openTestStore(dialect, { env: KEY });
  });
  afterEach(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)(
    "creates, updates in place by name (keeping the id and its deliveries), removes what the file dropped, leaves API sinks alone",
    async () => {
      const input = (name: string, url: string) => ({
        name,
        org: "acme",
        input: {
          kind: "json" as const,
          url,
          contentType: "json" as const,
          secret: null,
          insecureSsl: false,
          events: ["*" as const],
          active: true,
          settings: { configName: name },
        },
      });
      expect(
        await syncConfiguredSinks(t.store, t.webhooks, [
          input("a", "https://a.example/1"),
          input("b", "https://b.example/1"),
        ]),
      ).toEqual({ created: 2, updated: 0, removed: 0 });
      const org = (await t.store.getOrganization("acme"))!;
      const byApi = await t.webhooks.createHook({
        scope: "organization",
        orgId: org.id,
        kind: "json",
        settings: {},
        url: "https://api.example",
        contentType: "json",
        secret: null,
        insecureSsl: false,
        events: ["*"],
        active: true,
      });
      const before = await t.webhooks.listHooks({ scope: "organization", orgId: org.id, kind: "sinks" });
      const a = before.find((h) => h.settings?.configName === "a")!;
      await t.webhooks.createDelivery({
        guid: crypto.randomUUID(),
        hookId: a.id,
        event: "secret_scanning_alert",
        action: "created",
        repoId: null,
        orderKey: "alert:1",
        body: "{}",
      });

      expect(await syncConfiguredSinks(t.store, t.webhooks, [input("a", "https://a.example/2")])).toEqual({
        created: 0,
        updated: 1,
        removed: 1,
      });
      const after = await t.webhooks.listHooks({ scope: "organization", orgId: org.id, kind: "sinks" });
      expect(after.map((h) => [h.id, h.url])).toEqual([
        [a.id, "https://a.example/2"],
        [byApi.id, "https://api.example"],
      ]);
      expect(await t.webhooks.listDeliveries(a.id, { perPage: 5 })).toHaveLength(1);
    },
  );
});
