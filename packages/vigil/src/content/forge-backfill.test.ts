import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeForge, type FakeForge } from "../test-support/fake-forge.js";
import { synthesisePypiToken } from "../test-support/pypi-token.js";
import { CLI, runCli } from "../test-support/run-cli.js";
import type { ContentItem } from "./forge-events.js";
import { backfillFromForge, type BackfillState } from "./forge-backfill.js";

const TOKEN = "forge-api-token-for-tests";
const api = "https://forge.test/api/v3/repos/acme/site";
const web = "https://forge.test/acme/site";
const secrets = [synthesisePypiToken(), synthesisePypiToken(), synthesisePypiToken(), synthesisePypiToken()];
const content = {
  issues: [
    { number: 1, title: "Bug", body: "nothing secret", url: `${api}/issues/1`, html_url: `${web}/issues/1` },
    { number: 2, title: "Deploy", body: `use ${secrets[0]}`, url: `${api}/issues/2`, html_url: `${web}/issues/2` },
    {
      number: 3,
      title: "Add CI",
      body: null,
      url: `${api}/issues/3`,
      html_url: `${web}/pull/3`,
      pull_request: { url: `${api}/pulls/3`, html_url: `${web}/pull/3` },
    },
  ],
  comments: [
    { id: 10, body: "thanks", url: `${api}/issues/comments/10`, html_url: `${web}/issues/1#issuecomment-10` },
    {
      id: 11,
      body: `token: ${secrets[1]}`,
      url: `${api}/issues/comments/11`,
      html_url: `${web}/issues/1#issuecomment-11`,
    },
    {
      id: 12,
      body: `ci uses ${secrets[2]}`,
      url: `${api}/issues/comments/12`,
      html_url: `${web}/pull/3#issuecomment-12`,
    },
  ],
  reviewComments: [
    {
      id: 20,
      body: `move ${secrets[3]} to a secret`,
      url: `${api}/pulls/comments/20`,
      html_url: `${web}/pull/3#discussion_r20`,
    },
  ],
};

let forge: FakeForge;
beforeAll(async () => {
  forge = await startFakeForge(content, TOKEN);
});
afterAll(async () => forge.close());

function memoryState() {
  let saved: BackfillState | null = null;
  return {
    loadState: () => Promise.resolve(saved),
    saveState: (s: BackfillState) => Promise.resolve(void (saved = structuredClone(s))),
    get: () => saved,
  };
}

describe("backfillFromForge", () => {
  it("walks every page of issues, comments and review comments, waiting out a rate limit, and maps GitHub's types", async () => {
    forge.requests.length = 0;
    const seen: ContentItem[] = [];
    const waits: number[] = [];
    forge.limitNext(2);
    const state = memoryState();
    const result = await backfillFromForge({
      baseUrl: forge.apiUrl,
      repository: "acme/site",
      token: TOKEN,
      onItems: (items) => Promise.resolve(void seen.push(...items)),
      ...state,
      sleep: (ms) => Promise.resolve(void waits.push(ms)),
    });
    expect(result.stoppedAt).toBeNull();
    expect(result.rateLimitWaits).toBe(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(result.state).toMatchObject({ done: true, items: seen.length });
    expect(seen.map((i) => i.type)).toEqual([
      "issue_title",
      "issue_body",
      "issue_title",
      "issue_body",
      "pull_request_title",
      "issue_comment",
      "issue_comment",
      "pull_request_comment",
      "pull_request_review_comment",
    ]);
    expect(seen.find((i) => i.type === "pull_request_comment")?.details).toEqual({
      pull_request_comment_url: `${api}/issues/comments/12`,
      html_url: `${web}/pull/3#issuecomment-12`,
    });
    // Two pages of issues, two of comments, one of review comments, and the refused request retried.
    expect(forge.requests).toEqual([
      "/api/v3/repos/acme/site/issues?page=1",
      "/api/v3/repos/acme/site/issues?page=1",
      "/api/v3/repos/acme/site/issues?page=2",
      "/api/v3/repos/acme/site/issues/comments?page=1",
      "/api/v3/repos/acme/site/issues/comments?page=2",
      "/api/v3/repos/acme/site/pulls/comments?page=1",
    ]);
  });

  it("stops at a rate limit longer than it may wait and resumes where it stopped", async () => {
    forge.requests.length = 0;
    const state = memoryState();
    const seen: ContentItem[] = [];
    const onItems = (items: ContentItem[]) => Promise.resolve(void seen.push(...items));
    // One page, then a limit of an hour.
    let calls = 0;
    const limitedFetch: typeof fetch = (input, init) => {
      if (++calls === 2) forge.limitNext(3600);
      return fetch(input, init);
    };
    const first = await backfillFromForge({
      baseUrl: forge.apiUrl,
      repository: "acme/site",
      token: TOKEN,
      onItems,
      ...state,
      fetch: limitedFetch,
      maxWaitMs: 60_000,
    });
    expect(first.stoppedAt?.resetAt).toBeGreaterThan(Date.now() + 3_000_000);
    expect(state.get()).toMatchObject({ endpoint: 0, done: false, next: expect.stringContaining("page=2") });
    const second = await backfillFromForge({
      baseUrl: forge.apiUrl,
      repository: "acme/site",
      token: TOKEN,
      onItems,
      ...state,
    });
    expect(second.stoppedAt).toBeNull();
    // The first page was not fetched again.
    expect(forge.requests.filter((r) => r === "/api/v3/repos/acme/site/issues?page=1")).toHaveLength(1);
    expect(seen).toHaveLength(9);
  });

  it("fails with a clear error on a bad token, keeping its place", async () => {
    const state = memoryState();
    await expect(
      backfillFromForge({
        baseUrl: forge.apiUrl,
        repository: "acme/site",
        token: "wrong",
        onItems: () => Promise.resolve(),
        ...state,
      }),
    ).rejects.toThrow(/answered 401 \(the forge token is missing or wrong\)/);
    expect(state.get()).toBeNull();
  });
});

describe("vigil repo backfill", () => {
  it("records the secrets of existing issues and comments as alerts with GitHub's location types", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vigil-backfill-"));
    const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 6).toString("base64") };
    try {
      expect(runCli(["repo", "add", "acme/site", "--public", "--data-dir", dataDir], { env }).status).toBe(0);
      // Asynchronously: the fake forge answers from this process.
      const run = (token: string) =>
        new Promise<{ status: number | null; stderr: string }>((resolve) => {
          const child = spawn(
            process.execPath,
            [CLI, "repo", "backfill", "acme/site", "--forge-url", forge.apiUrl, "--data-dir", dataDir],
            { env: { ...process.env, ...env, VIGIL_FORGE_TOKEN: token, CI: "true" } },
          );
          let stderr = "";
          child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
          child.on("exit", (status) => resolve({ status, stderr }));
        });
      const bad = await run("wrong");
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain("answered 401 (the forge token is missing or wrong)");
      const good = await run(TOKEN);
      expect(good.status, good.stderr).toBe(0);
      expect(good.stderr).toContain("backfill of acme/site complete");
      expect(good.stderr).toContain("4 new alerts");
      const { openStore } = await import("../store/index.js");
      const opened = await openStore({ dataDir, env });
      try {
        const repo = (await opened.store.getRepository("acme", "site"))!;
        const page = await opened.store.listAlerts({
          repoIds: [repo.id],
          sort: "created",
          direction: "asc",
          perPage: 10,
          page: 1,
        });
        expect(page.alerts.map((a) => a.firstLocation?.type).sort()).toEqual([
          "issue_body",
          "issue_comment",
          "pull_request_comment",
          "pull_request_review_comment",
        ]);
        expect(page.alerts.every((a) => a.publiclyLeaked)).toBe(true);
      } finally {
        await opened.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
