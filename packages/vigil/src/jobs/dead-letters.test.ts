import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServer, type VigilServer } from "../server/create-server.js";
import { scanRepositoryHistory } from "../server/scan-repository-history.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { runCli } from "../test-support/run-cli.js";
import { JOB_KINDS } from "./job-kind.js";
import { openJobRunner } from "./open-job-runner.js";

const sqlite = testDialects()[0]!;
const KEY = Buffer.alloc(32, 7).toString("base64");

describe("dead letters: an operator sees and retries them over the API and the CLI", () => {
  let store: TestStore;
  let server: VigilServer;
  let admin: string;
  let member: string;
  let issuerUp = false;

  beforeEach(async () => {
    store = await openTestStore(sqlite, { env: { VIGIL_SECRET_KEY: KEY } });
    const runner = await openJobRunner({ db: store.db, pollMs: 50 });
    // Another module's kind, registered in one line: a check whose issuer is down fails to the dead letters.
    runner.kinds.register<{ alertId: number }>({
      name: JOB_KINDS.validityCheck,
      attempts: 2,
      backoffMs: 20,
      run: () => (issuerUp ? Promise.resolve() : Promise.reject(new Error("the issuer answered 503 Service Unavailable"))),
    });
    server = createServer({
      store: store.store,
      pushProtection: store.pushProtection,
      storeEnv: {},
      dataDir: store.dataDir,
      scanHistory: scanRepositoryHistory,
      log: pino({ level: "silent" }),
      runner,
      background: false,
    });
    const adminUser = await store.store.createUser({ login: "root", siteAdmin: true });
    admin = (await store.store.createToken({ userId: adminUser.id, scopes: ["site_admin"] })).token;
    const memberUser = await store.store.createUser({ login: "member" });
    member = (await store.store.createToken({ userId: memberUser.id, scopes: ["repo", "site_admin"] })).token;
  });
  afterEach(async () => {
    issuerUp = false;
    await server.close();
    await store.dispose();
  });

  const api = (path: string, token: string, method = "GET"): Promise<Response> =>
    Promise.resolve(server.app.request(`http://vigil.test/api/v3${path}`, { method, headers: { authorization: `Bearer ${token}` } }));

  async function deadJob(): Promise<string> {
    await server.runner.enqueue(JOB_KINDS.validityCheck, { alertId: 12 });
    for (let i = 0; i < 400; i++) {
      const dead = await server.runner.queue.list({ state: "dead" });
      if (dead[0]) return dead[0].id;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("the job never died");
  }

  it("lists dead jobs with their last error, retries one, and refuses what is not dead", async () => {
    const id = await deadJob();
    const listed = await api("/vigil/jobs?state=dead", admin);
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as Record<string, unknown>[];
    expect(body).toEqual([
      expect.objectContaining({
        id,
        url: `http://vigil.test/api/v3/vigil/jobs/${id}`,
        kind: "validity-check",
        state: "dead",
        payload: { alertId: 12 },
        attempts: 2,
        max_attempts: 2,
        last_error: "the issuer answered 503 Service Unavailable",
      }),
    ]);
    // Not a site administrator: the routes do not exist for them.
    expect((await api("/vigil/jobs?state=dead", member)).status).toBe(404);
    expect((await api("/vigil/jobs?state=buried", admin)).status).toBe(422);
    expect((await api("/vigil/jobs?per_page=0", admin)).status).toBe(422);
    expect((await api("/vigil/jobs/424242", admin)).status).toBe(404);

    issuerUp = true;
    const retried = await api(`/vigil/jobs/${id}/retry`, admin, "POST");
    expect(retried.status).toBe(200);
    await server.runner.idle();
    const after = (await (await api(`/vigil/jobs/${id}`, admin)).json()) as Record<string, unknown>;
    expect(after).toMatchObject({ id, state: "completed", attempts: 1 });
    const again = await api(`/vigil/jobs/${id}/retry`, admin, "POST");
    expect(again.status).toBe(422);
    expect(((await again.json()) as { message: string }).message).toBe(`Only a dead job can be retried; job ${id} is completed`);
  });

  it("vigil jobs list and retry work on the same queue from another process", async () => {
    const id = await deadJob();
    const env = { VIGIL_SECRET_KEY: KEY };
    const args = ["--data-dir", store.dataDir];
    const listed = runCli(["jobs", "list", "--state", "dead", "--json", ...args], { env });
    expect(listed.stderr).toBe("");
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id, kind: "validity-check", state: "dead", last_error: "the issuer answered 503 Service Unavailable" })]);

    const bad = runCli(["jobs", "list", "--state", "buried", ...args], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--state must be one of queued, running, completed, dead/);
    const missing = runCli(["jobs", "retry", "999999", ...args], { env });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/no job has the id 999999/);

    issuerUp = true;
    const retried = runCli(["jobs", "retry", id, ...args], { env });
    expect(retried.status).toBe(0);
    expect(retried.stderr).toBe(`vigil: job ${id} (validity-check) queued again\n`);
    await server.runner.idle();
    expect((await server.runner.queue.get(id))?.state).toBe("completed");
    const notDead = runCli(["jobs", "retry", id, ...args], { env });
    expect(notDead.status).not.toBe(0);
    expect(notDead.stderr).toMatch(/is completed, not dead/);
  });
});
