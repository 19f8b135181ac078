import { KEY_IDENTIFIER_HEADER, SIGNATURE_HEADER, signPayload, tokenHash } from "vigil-secrets-partner";
import type { AlertStore } from "../alerts/alert-store.js";
import type { DueReport, Partner, PartnerStore } from "./partner-store.js";

/** A partner reached without the network (Vigil's own tokens): the same request, handed to a handler in this process. */
export type InProcessPartner = (request: {
  body: Uint8Array;
  headers: Record<string, string>;
}) => Promise<{ status: number; body: string }>;

export interface PartnerReporterOptions {
  partners: PartnerStore;
  alerts: AlertStore;
  /** Vigil's public origin, for commit URLs in reports. */
  publicUrl: () => string;
  /** Partners whose URL is `internal:<name>`. */
  inProcess?: Record<string, InProcessPartner>;
  fetch?: typeof fetch;
  /** Reports per request (GitHub sends batches; partners must cope with large ones). */
  batchSize?: number;
  /** Delays before retry n (default 10 s, 1 min, 5 min, 30 min, 2 h, then every 6 h); failed for good after `maxAttempts` (default 12). */
  retryDelaysMs?: number[];
  maxAttempts?: number;
  timeoutMs?: number;
  /** Told of every batch sent (metrics): the partner, how many reports, whether the partner took them. */
  onSent?: (sent: { partner: string; reports: number; ok: boolean }) => void;
  log?: {
    info(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
  };
}

export interface PartnerReporter {
  /** Sends every due report once (batched per partner); resolves with how many were sent. */
  runOnce(): Promise<number>;
  /**
   * The `partner-report` job: sends what is due now. A partner's refusal is the report's own retry
   * (recorded on the report, backoff to 6 h, failed after 12 attempts); the job fails only when the
   * pass itself does (the store unreachable), and the queue retries that.
   */
  drain(): Promise<number>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

const DEFAULT_DELAYS = [10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000];
const LEASE_MS = 120_000;

/** GitHub's `source` values (sent lowercase, as GitHub's own wire sample does). */
const SOURCES: Record<string, string> = {
  commit: "commit",
  wiki_commit: "content",
  issue_title: "issue_title",
  issue_body: "issue_description",
  issue_comment: "issue_comment",
  pull_request_title: "pull_request_title",
  pull_request_body: "pull_request_description",
  pull_request_comment: "pull_request_comment",
  pull_request_review: "pull_request_comment",
  pull_request_review_comment: "pull_request_comment",
  discussion_title: "discussion_title",
  discussion_body: "discussion_body",
  discussion_comment: "discussion_comment",
  content: "content",
};

/** Where a report says the token was found: the web URL of its first location. */
export function reportLocation(report: DueReport, publicUrl: string): { url: string; source: string } {
  const location = report.location;
  if (!location) return { url: "", source: "unknown" };
  const d = location.details;
  if (location.type === "commit") {
    const path = typeof d.path === "string" ? d.path : "";
    return { url: `${publicUrl}/${report.repoFullName}/blob/${String(d.commitSha)}/${path}`, source: "commit" };
  }
  const url =
    typeof d.html_url === "string"
      ? d.html_url
      : ((Object.values(d).find((v) => typeof v === "string" && /^https?:/.test(v)) as string | undefined) ?? "");
  return { url, source: SOURCES[location.type] ?? "unknown" };
}

interface Feedback {
  label: string | null;
  revoked: boolean;
}

/** The partner's answer, by token hash: GitHub's feedback format (`token_raw` or `token_hash`), plus Vigil's `revoked`. Anything else is no feedback. */
function parseFeedback(text: string): Map<string, Feedback> {
  const byHash = new Map<string, Feedback>();
  let body: unknown;
  try {
    body = text.trim() === "" ? [] : JSON.parse(text);
  } catch {
    return byHash;
  }
  if (!Array.isArray(body)) return byHash;
  for (const entry of body as Record<string, unknown>[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const hash =
      typeof entry.token_hash === "string"
        ? entry.token_hash.toLowerCase()
        : typeof entry.token_raw === "string"
          ? tokenHash(entry.token_raw)
          : null;
    if (!hash) continue;
    const label = entry.label === "true_positive" || entry.label === "false_positive" ? entry.label : null;
    byHash.set(hash, { label, revoked: entry.revoked === true });
  }
  return byHash;
}

/**
 * Sends queued partner reports: GitHub's payload (`[{"token","type","url","source"}]`), batched per
 * partner, signed with Vigil's current key (ECDSA P-256, SHA-256, over the raw body). The queue is
 * durable (`partner_reports`): a report is leased while in flight, retried with backoff on a
 * failure, and a crash leaves it due again. The partner's answer is applied to the alert: its label
 * (stored and in the timeline), `true_positive` → validity `active`, `revoked` → resolved `revoked`.
 */
export function createPartnerReporter(options: PartnerReporterOptions): PartnerReporter {
  const { partners, alerts } = options;
  const doFetch = options.fetch ?? fetch;
  const batchSize = options.batchSize ?? 100;
  const delays = options.retryDelaysMs ?? DEFAULT_DELAYS;
  const maxAttempts = options.maxAttempts ?? 12;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;

  async function send(partner: Partner, reports: DueReport[]): Promise<void> {
    const publicUrl = options.publicUrl().replace(/\/+$/, "");
    const body = Buffer.from(
      JSON.stringify(reports.map((r) => ({ token: r.token, type: r.secretType, ...reportLocation(r, publicUrl) }))),
    );
    const key = await partners.currentSigningKey();
    const headers = {
      "content-type": "application/json",
      "user-agent": "Vigil-Secret-Scanning",
      [KEY_IDENTIFIER_HEADER]: key.keyIdentifier,
      [SIGNATURE_HEADER]: signPayload(body, key.privateKey),
    };
    let answer: { status: number; body: string };
    try {
      if (partner.url.startsWith("internal:")) {
        const handler = options.inProcess?.[partner.url.slice("internal:".length)];
        if (!handler) throw new Error(`no in-process partner ${partner.url}`);
        answer = await handler({ body, headers });
      } else {
        const res = await doFetch(partner.url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
        answer = { status: res.status, body: await res.text() };
      }
      if (answer.status < 200 || answer.status >= 300) throw new Error(`the partner answered ${answer.status}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const report of reports) {
        const retryAt =
          report.attempts >= maxAttempts
            ? null
            : new Date(Date.now() + (delays[Math.min(report.attempts - 1, delays.length - 1)] ?? 21_600_000));
        await partners.retryReport(report.id, message, retryAt);
      }
      options.onSent?.({ partner: partner.name, reports: reports.length, ok: false });
      options.log?.warn(
        { partner: partner.name, reports: reports.length, error: message },
        "partner report failed; retrying later",
      );
      return;
    }
    options.onSent?.({ partner: partner.name, reports: reports.length, ok: true });
    const feedback = parseFeedback(answer.body);
    for (const report of reports) {
      const answered = feedback.get(tokenHash(report.token));
      await partners.completeReport(report.id, { label: answered?.label ?? null, partnerName: partner.name });
      const alert = await alerts.getAlert(report.repoId, report.alertNumber);
      if (!alert) continue;
      if (answered?.label === "true_positive" && alert.validity !== "active")
        await alerts.updateAlert(alert.repoId, alert.number, { validity: "active" }, null);
      if (answered?.revoked && !(alert.state === "resolved" && alert.resolution === "revoked")) {
        await alerts.updateAlert(
          alert.repoId,
          alert.number,
          { state: "resolved", resolution: "revoked", resolutionComment: `Revoked by ${partner.name}` },
          null,
        );
      }
    }
    options.log?.info(
      { partner: partner.name, reports: reports.length, labelled: feedback.size },
      "partner report sent",
    );
  }

  async function runOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const due = await partners.claimDueReports(batchSize, LEASE_MS);
      if (due.length === 0) return sent;
      const byPartner = new Map<number, DueReport[]>();
      for (const report of due) byPartner.set(report.partnerId, [...(byPartner.get(report.partnerId) ?? []), report]);
      for (const [partnerId, reports] of byPartner) {
        const partner = await partners.getPartnerById(partnerId);
        if (!partner) continue;
        await send(partner, reports);
        sent += reports.length;
      }
      if (due.length < batchSize) return sent;
    }
  }

  const tick = (): void => {
    if (running) return;
    running = runOnce()
      .catch((error: unknown) => {
        options.log?.warn({ error: error instanceof Error ? error.message : String(error) }, "partner reporter failed");
        return 0;
      })
      .finally(() => (running = null));
  };

  return {
    runOnce: () => (running ??= runOnce().finally(() => (running = null))),
    drain: () => runOnce(),
    start(intervalMs) {
      timer ??= setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
