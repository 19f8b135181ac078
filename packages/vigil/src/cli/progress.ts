import { createRequire } from "node:module";
import type CliProgress from "cli-progress";
import { countOf } from "./summary.js";

export interface ProgressBar {
  /** `total` changes the total; `extra` is shown after the count (e.g. `1,204 blobs`). */
  update(done: number, payload: { mbps: string; findings: number; extra?: string }, total?: number): void;
  stop(): void;
}

/** Whether a progress bar is drawn: asked for (not --no-progress), on a terminal, not in CI. */
export function progressShown(enabled: boolean): boolean {
  return enabled && process.stderr.isTTY === true && !process.env["CI"];
}

/** Time left at the rate so far: `–` until something is done, then `45s`, `3m 05s`, `1h 02m`. */
export function formatEta(done: number, total: number, elapsedMs: number): string {
  if (done <= 0 || total <= 0 || elapsedMs <= 0) return "–";
  const seconds = Math.max(0, Math.round(((total - done) * elapsedMs) / done / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * A progress bar on stderr when a person is watching; nothing in CI, pipes or with --no-progress.
 * It is drawn from the first update that has a total: the total is counted before the scan
 * starts (files listed, commits counted), so the percentage and the time left hold still.
 */
export function createProgressBar(total: number, unit: string, enabled: boolean): ProgressBar {
  if (!progressShown(enabled)) return { update() {}, stop() {} };
  // Loaded only when a bar is drawn (a CommonJS package, so synchronously): ~20 ms of start-up otherwise.
  const cliProgress = createRequire(import.meta.url)("cli-progress") as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `{bar} {percentage}% | {value}/{total} ${unit}{extra} | {mbps} MB/s | {found} | ETA {left}`,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
      formatValue: (value, _options, type) =>
        type === "value" || type === "total" ? value.toLocaleString("en") : String(value),
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let current = total;
  let running = false;
  return {
    update: (done, payload, newTotal) => {
      if (newTotal !== undefined) current = newTotal;
      const values = {
        mbps: payload.mbps,
        found: countOf(payload.findings, "finding"),
        extra: payload.extra ? ` | ${payload.extra}` : "",
        left: formatEta(done, current, performance.now() - started),
      };
      if (!running) {
        if (current <= 0) return;
        bar.start(current, done, values);
        running = true;
        return;
      }
      if (current !== bar.getTotal()) bar.setTotal(current);
      bar.update(done, values);
    },
    stop: () => {
      if (running) bar.stop();
    },
  };
}
