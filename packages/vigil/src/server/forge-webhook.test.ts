import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Repository } from "../alerts/types.js";
import { openStore, type OpenedStore } from "../store/index.js";
import { forgeRepository, issueCommentPayload, synthesisePypiToken } from "../test-support/pypi-token.js";
import { createServer, type VigilServer } from "./create-server.js";
import { FORGE_WEBHOOK_BODY_LIMIT } from "./forge-webhook.js";

const SECRET = "forge-webhook-secret-for-tests";
let dataDir: string;
let opened: OpenedStore;
let server: VigilServer;
let repo: Repository;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "vigil-forge-"));
  opened = await openStore({ dataDir, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") } });
  repo = await opened.store.createRepository({
    owner: "acme",
    name: "site",
    sourceUrl: null,
    mirrorPath: join(dataDir, "site.git"),
    isPublic: true,
  });
  server = createServer({
    store: opened.store,
    pushProtection: opened.pushProtection,
    storeEnv: {},
    dataDir,
    scanHistory: () => Promise.resolve({ findings: [], warnings: [] }),
    log: pino({ level: "silent" }),
    forgeWebhookSecret: SECRET,
    background: false,
  });
});
afterAll(async () => {
  await server.close();
  await opened.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const sign = (body: string, secret = SECRET): string =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

async function deliver(
  event: string,
  payload: unknown,
  init: { signature?: string; contentType?: string; raw?: string } = {},
): Promise<Response> {
  const body = init.raw ?? JSON.stringify(payload);
  return server.app.request("http://vigil.test/webhooks/forge", {
    method: "POST",
    headers: {
      "content-type": init.contentType ?? "application/json",
      "x-github-event": event,
      "x-hub-signature-256": init.signature ?? sign(body),
    },
    body,
  });
}

describe("POST /webhooks/forge", () => {
  it("an issue comment carrying a token, later edited to remove it, is one alert with the comment's location", async () => {
    const token = synthesisePypiToken();
    const created = await deliver(
      "issue_comment",
      issueCommentPayload("acme/site", "created", 501, `I ran twine with ${token} and it failed`),
    );
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ findings: 1, alerts_created: [1] });
    // The edit removes the token: the text before the edit (changes.body.from) still has it.
    const edited = await deliver(
      "issue_comment",
      issueCommentPayload(
        "acme/site",
        "edited",
        501,
        "I ran twine with <redacted>",
        `I ran twine with ${token} and it failed`,
      ),
    );
    expect(await edited.json()).toMatchObject({ findings: 1, alerts_created: [], locations_added: 0 });

    const alert = (await opened.store.getAlert(repo.id, 1))!;
    expect(alert).toMatchObject({
      secretType: "pypi_api_token",
      secret: token,
      publiclyLeaked: true,
      locationCount: 1,
    });
    expect(alert.firstLocation).toMatchObject({
      type: "issue_comment",
      details: {
        issue_comment_url: "https://forge.test/api/v3/repos/acme/site/issues/comments/501",
        html_url: "https://forge.test/acme/site/issues/7#issuecomment-501",
      },
    });
  });

  it("a token pasted only in the text before an edit is found (the edit that removed it is the only delivery)", async () => {
    const token = synthesisePypiToken();
    const res = await deliver(
      "issue_comment",
      issueCommentPayload("acme/site", "edited", 502, "nothing here", `oops ${token}`),
    );
    expect(await res.json()).toMatchObject({ findings: 1, alerts_created: [2] });
  });

  it("maps every GitHub content event to GitHub's location type, form-encoded deliveries included", async () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      [
        "issues",
        {
          action: "opened",
          issue: {
            title: "t",
            body: "%s",
            url: "https://forge.test/api/v3/repos/acme/site/issues/8",
            html_url: "https://forge.test/acme/site/issues/8",
          },
        },
        "issue_body",
        "issue_body_url",
      ],
      [
        "issues",
        {
          action: "edited",
          issue: {
            title: "fixed",
            body: null,
            url: "https://forge.test/api/v3/repos/acme/site/issues/9",
            html_url: "h",
          },
          changes: { title: { from: "%s" } },
        },
        "issue_title",
        "issue_title_url",
      ],
      [
        "pull_request",
        {
          action: "opened",
          pull_request: {
            title: "%s",
            body: null,
            url: "https://forge.test/api/v3/repos/acme/site/pulls/3",
            html_url: "h",
          },
        },
        "pull_request_title",
        "pull_request_title_url",
      ],
      [
        "issue_comment",
        {
          action: "created",
          issue: { pull_request: {} },
          comment: { body: "%s", url: "https://forge.test/api/v3/repos/acme/site/issues/comments/77", html_url: "h" },
        },
        "pull_request_comment",
        "pull_request_comment_url",
      ],
      [
        "pull_request_review",
        {
          action: "submitted",
          pull_request: { url: "https://forge.test/api/v3/repos/acme/site/pulls/3" },
          review: { id: 5, body: "%s", html_url: "h" },
        },
        "pull_request_review",
        "pull_request_review_url",
      ],
      [
        "pull_request_review_comment",
        {
          action: "created",
          comment: { body: "%s", url: "https://forge.test/api/v3/repos/acme/site/pulls/comments/6", html_url: "h" },
        },
        "pull_request_review_comment",
        "pull_request_review_comment_url",
      ],
      [
        "discussion",
        {
          action: "created",
          discussion: { title: "q", body: "%s", html_url: "https://forge.test/acme/site/discussions/4" },
        },
        "discussion_body",
        "discussion_body_url",
      ],
      [
        "discussion_comment",
        {
          action: "created",
          comment: { body: "%s", html_url: "https://forge.test/acme/site/discussions/4#discussioncomment-9" },
        },
        "discussion_comment",
        "discussion_comment_url",
      ],
    ];
    for (const [event, payload, type, urlField] of cases) {
      const token = synthesisePypiToken();
      const json = JSON.stringify({ ...payload, repository: forgeRepository("acme/site") }).replace(
        "%s",
        `token ${token}`,
      );
      const form = `payload=${encodeURIComponent(json)}`;
      const res = await deliver(event, null, { raw: form, contentType: "application/x-www-form-urlencoded" });
      expect(res.status, event).toBe(200);
      const [number] = ((await res.json()) as { alerts_created: number[] }).alerts_created;
      const alert = (await opened.store.getAlert(repo.id, number!))!;
      expect(alert.firstLocation?.type, event).toBe(type);
      expect(alert.firstLocation?.details, event).toHaveProperty(urlField);
    }
  });

  it("refuses a delivery without a valid signature with 401, recording nothing", async () => {
    const token = synthesisePypiToken();
    const payload = issueCommentPayload("acme/site", "created", 601, token);
    expect(
      (await deliver("issue_comment", payload, { signature: sign(JSON.stringify(payload), "another-secret-entirely") }))
        .status,
    ).toBe(401);
    expect((await deliver("issue_comment", payload, { signature: "" })).status).toBe(401);
    expect((await deliver("issue_comment", payload, { signature: "sha1=abc" })).status).toBe(401);
    expect(await opened.store.hasAlertForSecret(repo.id, "pypi_api_token", token)).toBe(false);
  });

  it("answers malformed deliveries with 400 naming what is wrong", async () => {
    const bad = await deliver("issue_comment", null, { raw: "{not json" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/not valid JSON/);
    const missing = await deliver("issue_comment", {
      action: "created",
      issue: {},
      comment: { body: "x", html_url: "h" },
      repository: forgeRepository("acme/site"),
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/comment\.url/);
    const noRepo = await deliver("issues", { action: "opened" });
    expect(((await noRepo.json()) as { message: string }).message).toMatch(/repository/);
    expect((await deliver("issues", [])).status).toBe(400);
    const noEvent = await server.app.request("http://vigil.test/webhooks/forge", {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign("{}") },
      body: "{}",
    });
    expect(noEvent.status).toBe(400);
    expect((await deliver("issues", null, { raw: "x", contentType: "text/plain" })).status).toBe(415);
  });

  it("acknowledges ping, events without content and unknown repositories with 2xx, and refuses oversized bodies with 413", async () => {
    expect(
      (await deliver("ping", { zen: "Keep it logically awesome.", repository: forgeRepository("acme/site") })).status,
    ).toBe(200);
    expect((await deliver("push", { ref: "refs/heads/main", repository: forgeRepository("acme/site") })).status).toBe(
      202,
    );
    const unknown = await deliver(
      "issue_comment",
      issueCommentPayload("someone/else", "created", 1, synthesisePypiToken()),
    );
    expect(unknown.status).toBe(202);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/ignored/);
    const huge = "x".repeat(FORGE_WEBHOOK_BODY_LIMIT + 1);
    expect((await deliver("issues", null, { raw: huge })).status).toBe(413);
  });

  it("takes Gitea's deliveries (X-Gitea-Event, X-Gitea-Signature), building the comment's API URL from the repository's", async () => {
    const token = synthesisePypiToken();
    const payload = {
      action: "edited",
      issue: {
        id: 3,
        number: 12,
        title: "t",
        body: "",
        url: "https://gitea.test/api/v1/repos/acme/site/issues/12",
        html_url: "https://gitea.test/acme/site/issues/12",
      },
      comment: {
        id: 88,
        body: "fixed",
        html_url: "https://gitea.test/acme/site/issues/12#issuecomment-88",
        issue_url: "https://gitea.test/api/v1/repos/acme/site/issues/12",
      },
      changes: { body: { from: `TWINE_PASSWORD=${token}` } },
      is_pull: true,
      repository: { ...forgeRepository("acme/site"), url: "https://gitea.test/api/v1/repos/acme/site" },
    };
    const body = JSON.stringify(payload);
    const hex = createHmac("sha256", SECRET).update(body).digest("hex");
    const res = await server.app.request("http://vigil.test/webhooks/forge", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gitea-event": "issue_comment",
        "x-github-event": "issue_comment",
        "x-gitea-signature": hex,
      },
      body,
    });
    expect(res.status).toBe(200);
    const [number] = ((await res.json()) as { alerts_created: number[] }).alerts_created;
    expect((await opened.store.getAlert(repo.id, number!))!.firstLocation).toMatchObject({
      type: "pull_request_comment",
      details: { pull_request_comment_url: "https://gitea.test/api/v1/repos/acme/site/issues/comments/88" },
    });
    const forged = await server.app.request("http://vigil.test/webhooks/forge", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gitea-event": "issue_comment",
        "x-gitea-signature": "0".repeat(64),
      },
      body,
    });
    expect(forged.status).toBe(401);
  });

  it("takes GitLab's deliveries (X-Gitlab-Event, X-Gitlab-Token), the previous text of an edit included", async () => {
    const token = synthesisePypiToken();
    const payload = {
      object_kind: "issue",
      project: { id: 4, path_with_namespace: "acme/site", web_url: "https://gitlab.test/acme/site" },
      object_attributes: {
        iid: 5,
        title: "Deploy",
        description: "use the CI variable",
        url: "https://gitlab.test/acme/site/-/issues/5",
        action: "update",
      },
      changes: { description: { previous: `password ${token}`, current: "use the CI variable" } },
    };
    const send = (event: string, secret: string | null, p: unknown) =>
      server.app.request("http://vigil.test/webhooks/forge", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-gitlab-event": event,
          ...(secret ? { "x-gitlab-token": secret } : {}),
        },
        body: JSON.stringify(p),
      });
    expect((await send("Issue Hook", "not-the-secret", payload)).status).toBe(401);
    expect((await send("Issue Hook", null, payload)).status).toBe(401);
    const res = await send("Issue Hook", SECRET, payload);
    expect(res.status).toBe(200);
    const [number] = ((await res.json()) as { alerts_created: number[] }).alerts_created;
    expect((await opened.store.getAlert(repo.id, number!))!.firstLocation).toMatchObject({
      type: "issue_body",
      details: { issue_body_url: "https://gitlab.test/acme/site/-/issues/5" },
    });
    const note = {
      object_kind: "note",
      project: payload.project,
      object_attributes: {
        id: 9,
        note: `here: ${synthesisePypiToken()}`,
        noteable_type: "MergeRequest",
        url: "https://gitlab.test/acme/site/-/merge_requests/2#note_9",
      },
    };
    const noted = await send("Note Hook", SECRET, note);
    const [noteAlert] = ((await noted.json()) as { alerts_created: number[] }).alerts_created;
    expect((await opened.store.getAlert(repo.id, noteAlert!))!.firstLocation?.type).toBe("pull_request_comment");
    const broken = await send("Issue Hook", SECRET, { project: payload.project });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: string }).message).toMatch(/object_attributes/);
  });
});
