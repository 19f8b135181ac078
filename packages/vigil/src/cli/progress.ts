import cliProgress from "cli-progress";

export interface ProgressBar {
  /** `total` changes the total (it grows while git history is walked). */
  update(done: number, payload: Record<string, string | number>, total?: number): void;
  stop(): void;
}

/** A progress bar on stderr when a person is watching; nothing in CI, pipes or with --no-progress. */
export function createProgressBar(total: number, unit: string, enabled: boolean): ProgressBar {
  if (!enabled || !process.stderr.isTTY || process.env["CI"]) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `{bar} {value}/{total} ${unit} | {mbps} MB/s | {findings} findings`,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { mbps: "0.0", findings: 0 });
  return {
    update: (done, payload, total) => {
      if (total !== undefined && total !== bar.getTotal()) bar.setTotal(total);
      bar.update(done, payload);
    },
    stop: () => bar.stop(),
  };
}
