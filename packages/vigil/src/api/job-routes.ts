import type { Context, Hono } from "hono";
import { JOB_STATES, type JobQueue, type JobRecord, type JobState } from "../jobs/job-queue.js";
import type { ApiEnv } from "./api-env.js";
import { ApiError, notFound } from "./api-error.js";
import { requireScopes } from "./authenticate.js";

/** A job as the API and `vigil jobs --json` show it (payloads hold ids, never secrets). */
export function formatJob(job: JobRecord, apiUrl?: string): Record<string, unknown> {
  return {
    id: job.id,
    ...(apiUrl ? { url: `${apiUrl}/vigil/jobs/${encodeURIComponent(job.id)}` } : {}),
    kind: job.kind,
    state: job.state,
    payload: job.payload,
    key: job.key,
    group: job.group,
    priority: job.priority,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    last_error: job.lastError,
    run_at: job.runAt,
    created_at: job.createdAt,
    completed_at: job.completedAt,
  };
}

/**
 * Vigil's extension for site administrators: background jobs and their dead letters.
 * `GET /vigil/jobs` (`state`, `kind`, `per_page`), `GET /vigil/jobs/{job_id}`,
 * `POST /vigil/jobs/{job_id}/retry` (a dead job only). Others get 404; a token without the
 * `site_admin` scope 403.
 */
export function mountJobRoutes(app: Hono<ApiEnv>, jobs: JobQueue): void {
  const admin = (c: Context<ApiEnv>): void => {
    if (!c.get("user").siteAdmin) throw notFound();
    requireScopes(c, ["site_admin"]);
  };
  app.get("/vigil/jobs", async (c) => {
    admin(c);
    const state = c.req.query("state");
    if (state !== undefined && !JOB_STATES.includes(state as JobState))
      throw new ApiError(422, `Invalid value for state: must be one of ${JOB_STATES.join(", ")}`, [{ resource: "Job", field: "state", code: "invalid" }]);
    const kind = c.req.query("kind");
    const rawPerPage = c.req.query("per_page");
    const perPage = rawPerPage === undefined ? 30 : Number(rawPerPage);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100)
      throw new ApiError(422, "Invalid value for per_page: must be an integer from 1 to 100", [{ resource: "Job", field: "per_page", code: "invalid" }]);
    const list = await jobs.list({ ...(state ? { state: state as JobState } : {}), ...(kind ? { kind } : {}), limit: perPage });
    return c.json(list.map((job) => formatJob(job, c.get("urls").api)));
  });
  app.get("/vigil/jobs/:job_id", async (c) => {
    admin(c);
    const job = await jobs.get(c.req.param("job_id"));
    if (!job) throw notFound();
    return c.json(formatJob(job, c.get("urls").api));
  });
  app.post("/vigil/jobs/:job_id/retry", async (c) => {
    admin(c);
    const id = c.req.param("job_id");
    const job = await jobs.get(id);
    if (!job) throw notFound();
    if (job.state !== "dead")
      throw new ApiError(422, `Only a dead job can be retried; job ${job.id} is ${job.state}`, [{ resource: "Job", field: "state", code: "invalid" }]);
    const retried = await jobs.retry(id);
    if (!retried) throw new ApiError(409, `Job ${job.id} changed state meanwhile; read it again`);
    return c.json(formatJob(retried, c.get("urls").api));
  });
}
