import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { buildMatcher, type MatcherSettings } from "./matcher-settings.js";
import { scanContent, toWire, type ContentLimits, type ContentOutcome, type WireFinding } from "./scan-content.js";

export interface WorkerInit {
  settings: MatcherSettings;
  limits: ContentLimits;
}

export interface WorkerRequest {
  batch: number;
  files: Array<{ index: number; absolutePath: string }>;
}

export interface WorkerFileResult {
  index: number;
  outcome: ContentOutcome | "unreadable";
  bytes: number;
  findings: WireFinding[];
  error?: string;
}

export interface WorkerResponse {
  batch: number;
  results: WorkerFileResult[];
}

const init = workerData as WorkerInit;
const matcher = buildMatcher(init.settings);

parentPort?.on("message", (request: WorkerRequest) => {
  const results: WorkerFileResult[] = request.files.map(({ index, absolutePath }) => {
    let content: Buffer;
    try {
      content = readFileSync(absolutePath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      return { index, outcome: "unreadable", bytes: 0, findings: [], error: code };
    }
    const { outcome, findings } = scanContent(matcher, content, init.limits);
    return { index, outcome, bytes: outcome === "scanned" ? content.length : 0, findings: findings.map(toWire) };
  });
  parentPort?.postMessage({ batch: request.batch, results } satisfies WorkerResponse);
});
