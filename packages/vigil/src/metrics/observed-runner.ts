import type { InProcessRunner } from "../jobs/in-process-runner.js";
import { runObservedJob } from "./job-metrics.js";
import type { VigilMetrics } from "./vigil-metrics.js";

/**
 * The same runner, with each job run in its job context (a job id on every log line) and counted
 * in `vigil_jobs_total` / `vigil_job_duration_seconds`. For runners that do not do it themselves.
 */
export function observedRunner(runner: InProcessRunner, metrics: VigilMetrics): InProcessRunner {
  return {
    enqueue: (job) => runner.enqueue({ key: job.key, run: (signal) => runObservedJob(job, () => job.run(signal), { signal, metrics }) }),
    idle: () => runner.idle(),
    close: () => runner.close(),
  };
}
