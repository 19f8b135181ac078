import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "../api/create-api.js";
import { openStore, type OpenedStore } from "../store/index.js";
import { createServer, type VigilServer } from "./create-server.js";
import { scanRepositoryHistory } from "./scan-repository-history.js";

/** Issue 10, item 7: request bodies are limited per route (413, as GitHub), slow requests time out. */
let root: string;
let opened: OpenedStore;
let server: VigilServer;
let token: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "vigil-limits-"));
  opened = await openStore({ dataDir: root, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 4).toString("base64") } });
  const admin = await opened.store.createUser({ login: "admin", siteAdmin: true });
  token = (await opened.store.createToken({ userId: admin.id, scopes: ["repo", "security_events", "site_admin"] }))
    .token;
  server = createServer({
    store: opened.store,
    pushProtection: opened.pushProtection,
    storeEnv: {},
    dataDir: root,
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
    headersTimeoutMs: 400,
    requestTimeoutMs: 800,
  });
  await server.repositories.register({ owner: "acme", name: "api", sourceUrl: null });
});
afterAll(async () => {
  await server.close();
  await opened.close();
  rmSync(root, { recursive: true, force: true });
});

const big = (bytes: number): string => JSON.stringify({ state: "open", padding: "x".repeat(bytes) });

describe("request body limits", () => {
  it.each([
    ["PATCH", "/api/v3/repos/acme/api/secret-scanning/alerts/1"],
    ["PATCH", "/api/v3/repos/acme/api"],
    ["POST", "/api/v3/orgs/acme/repos"],
    ["PATCH", "/api/v3/orgs/acme/secret-scanning/pattern-configurations"],
    ["POST", "/api/v3/repos/acme/api/secret-scanning/push-protection-bypasses"],
    ["PATCH", "/api/v3/nowhere"],
  ])("%s %s with a body over 1 MiB is 413 with GitHub's body, whoever asks", async (method, path) => {
    for (const auth of [`token ${token}`, undefined]) {
      const res = await server.app.request(`http://vigil.test${path}`, {
        method,
        headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: big(MAX_JSON_BODY_BYTES),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({
        message: expect.stringMatching(/^Payload too large/),
        documentation_url: expect.any(String),
      });
    }
  });

  it("counts a streamed body without Content-Length too", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 4 * MAX_JSON_BODY_BYTES) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await server.app.request("http://vigil.test/api/v3/repos/acme/api", {
      method: "PATCH",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body,
      duplex: "half",
    });
    expect(res.status).toBe(413);
    // It stopped reading soon after the limit, not at the end of the stream.
    expect(sent).toBeLessThan(2 * MAX_JSON_BODY_BYTES);
  });

  it("a body just under the limit is read as usual", async () => {
    const res = await server.app.request("http://vigil.test/api/v3/repos/acme/api", {
      method: "PATCH",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ padding: "x".repeat(MAX_JSON_BODY_BYTES - 100) }),
    });
    expect(res.status).toBe(200);
  });

  it("the allow page's form is limited too; a git push is not cut at the API's limit", async () => {
    const page = await server.app.request("http://vigil.test/acme/api/security/secret-scanning/unblock-secret/x", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `token=${"x".repeat(128 * 1024)}`,
    });
    expect(page.status).toBe(413);
    const push = await server.app.request("http://vigil.test/acme/api.git/git-receive-pack", {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${token}`).toString("base64")}`,
        "content-type": "application/x-git-receive-pack-request",
      },
      body: "0000" + "\0".repeat(2 * MAX_JSON_BODY_BYTES),
    });
    expect(push.status).not.toBe(413);
    await push.arrayBuffer();
  });
});

describe("slow requests", () => {
  let port: number;
  beforeAll(async () => {
    port = (await server.listen(0)).port;
  });

  it("a client that never finishes its headers is answered 408 and disconnected", async () => {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    socket.write("PATCH /api/v3/repos/acme/api HTTP/1.1\r\nHost: x\r\n");
    const answer = await new Promise<string>((resolve) => {
      let data = "";
      socket.on("data", (chunk: Buffer) => (data += chunk.toString()));
      socket.on("close", () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 20_000);

  it("a client that sends its body too slowly is cut off", async () => {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    socket.write(
      `PATCH /api/v3/repos/acme/api HTTP/1.1\r\nHost: x\r\nAuthorization: token ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    const timer = setInterval(() => socket.write(" "), 100);
    const closed = await new Promise<boolean>((resolve) => socket.on("close", () => resolve(true)));
    clearInterval(timer);
    expect(closed).toBe(true);
  }, 20_000);
});
