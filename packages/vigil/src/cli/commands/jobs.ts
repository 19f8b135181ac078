import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { JOB_STATES, type JobRecord, type JobState } from "../../jobs/job-queue.js";
import type { JobRunner } from "../../jobs/job-runner.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";
import { parseInteger } from "./scan.js";

interface ListOptions extends StoreCommandOptions {
  state?: string;
  kind?: string;
  limit: string;
  json?: boolean;
}

/** Opens the queue `vigil serve` uses (the store's, or BullMQ with VIGIL_REDIS_URL) without running jobs. */
async function withQueue<T>(options: StoreCommandOptions, work: (runner: JobRunner) => Promise<T>): Promise<T> {
  const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
  const [{ openJobRunner }, { JOB_KINDS }] = await Promise.all([import("../../jobs/open-job-runner.js"), import("../../jobs/job-kind.js")]);
  const runner = await openJobRunner({ db: opened.db, redisUrl: process.env.VIGIL_REDIS_URL, redisPrefix: process.env.VIGIL_REDIS_PREFIX, leaseMs: Number(process.env.VIGIL_JOB_LEASE_MS) || undefined });
  // Kinds by name only (BullMQ keeps a queue per kind); this process runs none.
  for (const name of Object.values(JOB_KINDS)) runner.kinds.register({ name, run: () => Promise.reject(new Error("not run by the CLI")) });
  try {
    return await work(runner);
  } finally {
    await runner.close();
    await opened.close();
  }
}

function line(job: JobRecord): string {
  const error = job.lastError ? `  ${job.lastError}` : "";
  return `${job.id}\t${job.kind}\t${job.state}\t${job.attempts}/${job.maxAttempts}\t${JSON.stringify(job.payload)}${error}\n`;
}

export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command("jobs")
    .description("Background jobs and dead letters (scans, mirror fetches, …): list, show, retry (works while the server runs)");
  addStoreOptions(
    jobs
      .command("list")
      .description("List jobs, newest first: id, kind, state, attempts, payload, last error")
      .option("--state <state>", `only jobs in this state: ${JOB_STATES.join(", ")}`)
      .option("--kind <kind>", "only jobs of this kind (e.g. history-scan)")
      .option("--limit <n>", "at most this many", "50")
      .option("--json", "JSON, as the API's GET /api/v3/vigil/jobs"),
  ).action(async (options: ListOptions) => {
    if (options.state !== undefined && !JOB_STATES.includes(options.state as JobState))
      throw new VigilError("ERR_CLI_USAGE", `--state must be one of ${JOB_STATES.join(", ")}`);
    const limit = parseInteger(options.limit, "--limit", 1, 1000);
    const { formatJob } = await import("../../api/job-routes.js");
    await withQueue(options, async (runner) => {
      const list = await runner.queue.list({ ...(options.state ? { state: options.state as JobState } : {}), ...(options.kind ? { kind: options.kind } : {}), limit });
      if (options.json) process.stdout.write(`${JSON.stringify(list.map((job) => formatJob(job)), null, 2)}\n`);
      else for (const job of list) process.stdout.write(line(job));
      if (!options.json && list.length === 0) process.stderr.write("vigil: no jobs\n");
    });
  });
  addStoreOptions(jobs.command("show").description("Show one job as JSON").argument("<id>", "the job's id")).action(
    async (id: string, options: StoreCommandOptions) => {
      const { formatJob } = await import("../../api/job-routes.js");
      await withQueue(options, async (runner) => {
        const job = await runner.queue.get(id);
        if (!job) throw new VigilError("ERR_JOB_NOT_FOUND", `no job has the id ${id.slice(0, 100)}`);
        process.stdout.write(`${JSON.stringify(formatJob(job), null, 2)}\n`);
      });
    },
  );
  addStoreOptions(
    jobs.command("retry").description("Queue dead jobs again with fresh attempts").argument("[ids...]", "the dead jobs' ids").option("--all", "every dead job"),
  ).action(async (ids: string[], options: StoreCommandOptions & { all?: boolean }) => {
    if (ids.length === 0 && !options.all) throw new VigilError("ERR_CLI_USAGE", "name the dead jobs to retry, or give --all");
    await withQueue(options, async (runner) => {
      const targets = options.all ? (await runner.queue.list({ state: "dead", limit: 1000 })).map((j) => j.id) : ids;
      for (const id of targets) {
        const job = await runner.queue.get(id);
        if (!job) throw new VigilError("ERR_JOB_NOT_FOUND", `no job has the id ${id.slice(0, 100)}`);
        if (job.state !== "dead") throw new VigilError("ERR_JOB_NOT_DEAD", `job ${job.id} is ${job.state}, not dead: only dead jobs are retried`);
        await runner.queue.retry(id);
        process.stderr.write(`vigil: job ${job.id} (${job.kind}) queued again\n`);
      }
      if (targets.length === 0) process.stderr.write("vigil: no dead jobs\n");
    });
  });
}
