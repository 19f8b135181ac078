import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { observeJob, registerQueueDepthCollector } from "../metrics/job-metrics.js";
import { createMetrics } from "../metrics/vigil-metrics.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { createObservabilityServer, type ObservabilityServer } from "./observability-server.js";

describe("the observability routes on a port of their own (a job worker's)", () => {
  let opened: TestStore;
  let server: ObservabilityServer;
  beforeEach(async () => {
    opened = await openTestStore(testDialects()[0]!);
  });
  afterEach(async () => {
    await server.close();
    await opened.dispose();
  });

  it("answers /healthz, /readyz and /metrics (token required) over a socket, and nothing else", async () => {
    const token = randomBytes(20).toString("hex");
    const metrics = createMetrics({ processMetrics: false });
    server = createObservabilityServer({ metrics, store: opened.store, health: opened.health, metricsToken: token, log: pino({ level: "silent" }) });
    const { url } = await server.listen(0);
    observeJob("scan", "completed", 1.5, metrics);
    registerQueueDepthCollector(() => [{ kind: "scan", state: "waiting", count: 7 }], metrics);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: "ready", checks: { store: "ok", migrations: "ok" } });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(text).toContain('vigil_jobs_total{kind="scan",outcome="completed"} 1');
    expect(text).toContain('vigil_queue_depth{kind="scan",state="waiting"} 7');
    expect((await fetch(`${url}/api/v3/user`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });
});
