import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { Writable } from "node:stream";
import { currentJob } from "../logging/job-context.js";
import { observeJob, registerQueueDepthCollector, runObservedJob, setQueueDepth } from "./job-metrics.js";
import { createMetrics } from "./vigil-metrics.js";

const lines = (text: string, name: string): string[] => text.split("\n").filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe("job metrics: the functions a job queue calls", () => {
  it("observeJob counts runs and durations by kind and outcome", async () => {
    const metrics = createMetrics({ processMetrics: false });
    observeJob("scan", "completed", 0.2, metrics);
    observeJob("scan", "completed", 3, metrics);
    observeJob("webhook", "dead", 1, metrics);
    const text = await metrics.registry.metrics();
    expect(lines(text, "vigil_jobs_total")).toEqual([
      'vigil_jobs_total{kind="scan",outcome="completed"} 2',
      'vigil_jobs_total{kind="webhook",outcome="dead"} 1',
    ]);
    expect(text).toContain('vigil_job_duration_seconds_sum{kind="scan",outcome="completed"} 3.2');
    expect(text).toContain('vigil_job_duration_seconds_bucket{le="1",kind="scan",outcome="completed"} 1');
  });

  it("queue depth comes from setQueueDepth and from collectors asked on each scrape; a collector can be removed", async () => {
    const metrics = createMetrics({ processMetrics: false });
    setQueueDepth("scan", "waiting", 4, metrics);
    let dead = 1;
    const unregister = registerQueueDepthCollector(() => [{ kind: "webhook", state: "dead", count: dead }], metrics);
    expect(lines(await metrics.registry.metrics(), "vigil_queue_depth")).toEqual([
      'vigil_queue_depth{kind="scan",state="waiting"} 4',
      'vigil_queue_depth{kind="webhook",state="dead"} 1',
    ]);
    dead = 0;
    setQueueDepth("scan", "waiting", 0, metrics);
    expect(lines(await metrics.registry.metrics(), "vigil_queue_depth")).toEqual([
      'vigil_queue_depth{kind="scan",state="waiting"} 0',
      'vigil_queue_depth{kind="webhook",state="dead"} 0',
    ]);
    unregister();
    expect(lines(await metrics.registry.metrics(), "vigil_queue_depth")).toEqual(['vigil_queue_depth{kind="scan",state="waiting"} 0']);
  });

  it("runObservedJob gives the job's log lines its id, counts failures and interruptions, and rethrows", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const written: string[] = [];
    const log = pino(
      { mixin: () => (currentJob() ? { job_id: currentJob()!.jobId, job_kind: currentJob()!.kind } : {}) },
      new Writable({ write: (chunk: Buffer, _e, done) => (written.push(chunk.toString()), done()) }),
    );
    await runObservedJob({ key: "validity:3:7", id: "job-1" }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      log.info("checking");
    }, { metrics });
    await expect(runObservedJob({ key: "scan:1" }, () => Promise.reject(new Error("boom")), { metrics })).rejects.toThrow("boom");
    const controller = new AbortController();
    controller.abort();
    await expect(runObservedJob({ key: "scan:1" }, () => Promise.reject(new Error("stopped")), { metrics, signal: controller.signal })).rejects.toThrow();
    log.info("outside");
    expect(JSON.parse(written[0]!)).toMatchObject({ msg: "checking", job_id: "job-1", job_kind: "validity" });
    expect(JSON.parse(written[1]!)).not.toHaveProperty("job_id");
    expect(lines(await metrics.registry.metrics(), "vigil_jobs_total")).toEqual([
      'vigil_jobs_total{kind="validity",outcome="completed"} 1',
      'vigil_jobs_total{kind="scan",outcome="failed"} 1',
      'vigil_jobs_total{kind="scan",outcome="interrupted"} 1',
    ]);
  });
});
