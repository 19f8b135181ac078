import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Counts per alert state, read from the store when Prometheus scrapes (one grouped query). */
export type AlertCounter = () => Promise<readonly { state: string; resolution: string | null; count: number }[]>;

/** One queue's depth: `state` is the queue's own word (waiting, active, delayed, dead, …). */
export interface QueueDepth {
  kind: string;
  state: string;
  count: number;
}
export type QueueDepthCollector = () => Promise<readonly QueueDepth[]> | readonly QueueDepth[];

/**
 * Every metric Vigil exports, in one registry. docs/operations.md ("Monitoring") lists them with
 * their types and labels; a label never carries a repository, a user or a secret, only bounded words
 * (route templates, source kinds, outcomes), so that the series count stays small.
 */
export interface VigilMetrics {
  registry: Registry;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
  scans: Counter<"source" | "outcome">;
  scanDuration: Histogram<"source">;
  scanBytes: Counter<"source">;
  scanBytesPerSecond: Histogram<"source">;
  scanFindings: Counter<"source">;
  webhookDeliveryDuration: Histogram<"kind" | "outcome">;
  webhookDeliveries: Counter<"kind" | "outcome">;
  partnerReports: Counter<"partner" | "outcome">;
  validityChecks: Counter<"result">;
  jobs: Counter<"kind" | "outcome">;
  jobDuration: Histogram<"kind" | "outcome">;
  /** Explicit depths (`setQueueDepth`); collectors' answers are added on each scrape. */
  queueDepths: Map<string, QueueDepth>;
  queueDepthCollectors: Set<QueueDepthCollector>;
  /** Where alert counts come from (the server sets it; absent, the gauge is empty). */
  setAlertCounter(counter: AlertCounter | undefined): void;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];
const THROUGHPUT_BUCKETS = [1e5, 1e6, 5e6, 1e7, 2.5e7, 5e7, 1e8, 2.5e8, 5e8, 1e9];

export interface MetricsOptions {
  /** Node.js process metrics (`process_*`, `nodejs_*`; default true). */
  processMetrics?: boolean;
}

/** A fresh registry with Vigil's metrics (tests make their own; a process shares `processMetrics()`). */
export function createMetrics(options: MetricsOptions = {}): VigilMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  let alertCounter: AlertCounter | undefined;
  const queueDepths = new Map<string, QueueDepth>();
  const queueDepthCollectors = new Set<QueueDepthCollector>();

  new Gauge({
    name: "vigil_alerts",
    help: "Secret scanning alerts by state (and resolution for resolved ones), read from the store on each scrape",
    labelNames: ["state", "resolution"],
    registers,
    // Every process of `--workers N` reads the same store: the cluster's figure is one process's, not the sum.
    aggregator: "first",
    async collect() {
      this.reset();
      if (!alertCounter) return;
      let rows: Awaited<ReturnType<AlertCounter>>;
      try {
        rows = await alertCounter();
      } catch {
        return; // the store does not answer: /readyz says so; the other metrics are still worth a scrape
      }
      for (const row of rows) this.set({ state: row.state, resolution: row.resolution ?? "" }, row.count);
    },
  });
  new Gauge({
    name: "vigil_queue_depth",
    help: "Jobs in a queue by job kind and state (waiting, active, delayed, dead, …)",
    labelNames: ["kind", "state"],
    registers,
    async collect() {
      this.reset();
      const depths = new Map(queueDepths);
      for (const collector of queueDepthCollectors) {
        for (const depth of await collector()) depths.set(`${depth.kind}\0${depth.state}`, depth);
      }
      for (const depth of depths.values()) this.set({ kind: depth.kind, state: depth.state }, depth.count);
    },
  });

  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "vigil_http_request_duration_seconds",
      help: "HTTP requests by method, route template and status (the _count series counts requests)",
      labelNames: ["method", "route", "status"],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    scans: new Counter({
      name: "vigil_scans_total",
      help: "Scans by source kind and outcome (completed, failed, interrupted)",
      labelNames: ["source", "outcome"],
      registers,
    }),
    scanDuration: new Histogram({
      name: "vigil_scan_duration_seconds",
      help: "Duration of completed scans by source kind",
      labelNames: ["source"],
      buckets: JOB_BUCKETS,
      registers,
    }),
    scanBytes: new Counter({
      name: "vigil_scan_bytes_total",
      help: "Bytes scanned by source kind (rate() of it is the scanning throughput)",
      labelNames: ["source"],
      registers,
    }),
    scanBytesPerSecond: new Histogram({
      name: "vigil_scan_bytes_per_second",
      help: "Throughput of each completed scan that read at least one byte, by source kind",
      labelNames: ["source"],
      buckets: THROUGHPUT_BUCKETS,
      registers,
    }),
    scanFindings: new Counter({
      name: "vigil_scan_findings_total",
      help: "Findings reported by scans, by source kind (before alerts are deduplicated)",
      labelNames: ["source"],
      registers,
    }),
    webhookDeliveryDuration: new Histogram({
      name: "vigil_webhook_delivery_duration_seconds",
      help: "Duration of webhook delivery attempts by hook kind (webhook, slack, teams, json, email) and outcome",
      labelNames: ["kind", "outcome"],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    webhookDeliveries: new Counter({
      name: "vigil_webhook_deliveries_total",
      help: "Webhook delivery attempts by hook kind and outcome (success, failure: retried later, gave_up: no retry left)",
      labelNames: ["kind", "outcome"],
      registers,
    }),
    partnerReports: new Counter({
      name: "vigil_partner_reports_total",
      help: "Leaked tokens reported to partners, by partner and outcome (success, failure)",
      labelNames: ["partner", "outcome"],
      registers,
    }),
    validityChecks: new Counter({
      name: "vigil_validity_checks_total",
      help: "Validity checks by result (active, inactive, unknown)",
      labelNames: ["result"],
      registers,
    }),
    jobs: new Counter({
      name: "vigil_jobs_total",
      help: "Background jobs finished, by job kind and outcome",
      labelNames: ["kind", "outcome"],
      registers,
    }),
    jobDuration: new Histogram({
      name: "vigil_job_duration_seconds",
      help: "Duration of background jobs by job kind and outcome",
      labelNames: ["kind", "outcome"],
      buckets: JOB_BUCKETS,
      registers,
    }),
    queueDepths,
    queueDepthCollectors,
    setAlertCounter(counter) {
      alertCounter = counter;
    },
  };
}

let shared: VigilMetrics | undefined;

/**
 * The process's metrics: Prometheus scrapes a process, so the server and the job code of one process
 * count into one registry (modules that have no server to hand use it through job-metrics.ts).
 */
export function processMetrics(): VigilMetrics {
  return (shared ??= createMetrics());
}
