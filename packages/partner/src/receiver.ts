import type { IncomingMessage, ServerResponse } from "node:http";
import type { KeySource } from "./key-source.js";
import { parseReports, ReportFormatError, type Label, type PartnerReport, type TokenFeedback } from "./reports.js";
import { KEY_IDENTIFIER_HEADER, SIGNATURE_HEADER, tokenHash, verifySignature } from "./signature.js";

/** What the issuer plugs in: its token table, its revocation and its owner notification. */
export interface TokenIssuer<T> {
  /** The issuer's record of a token, or null when it never issued it. `active: false` when it is already revoked or expired. */
  lookup(report: PartnerReport): Promise<{ record: T; active: boolean } | null>;
  /** Revokes the token. Called once per token, however many repositories reported it. */
  revoke(record: T, reports: PartnerReport[]): Promise<void>;
  /** Tells the owner (an email, an event). A failure is retried later, without revoking or counting again. */
  notifyOwner(record: T, reports: PartnerReport[]): Promise<void>;
}

export interface ReceiverOptions<T> {
  keySource: KeySource;
  issuer: TokenIssuer<T>;
  /** Types this issuer handles (default: all); matches of other types are acknowledged and ignored. */
  tokenTypes?: string[];
  /** Delays between retries of a failed revocation or notification (default 1 s, 5 s, 30 s, 2 min, 10 min, then every 10 min). */
  retryDelaysMs?: number[];
  /** Bodies over this size are refused (default 10 MB). */
  maxBodyBytes?: number;
  /** Errors in background retries (never with the token). */
  onError?: (error: unknown, context: { step: "revoke" | "notify"; tokenHash: string; attempt: number }) => void;
}

export interface ReceiverResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PartnerReceiver {
  /** Handles one report request: raw body bytes and headers (names in any case). */
  handle(request: {
    body: Uint8Array;
    headers: Record<string, string | string[] | undefined>;
  }): Promise<ReceiverResponse>;
  /** A node:http listener for the report endpoint (POST). */
  listener(req: IncomingMessage, res: ServerResponse): void;
  /** Prometheus text exposition of the counters. */
  metrics(): string;
  counters(): { received: number; valid: number; processed: number; rejected: Record<string, number> };
  /** Resolves when no retry is pending or running. */
  idle(): Promise<void>;
  close(): void;
}

type Step = "revoking" | "notifying" | "done";

interface TokenState<T> {
  record: T;
  step: Step;
  reports: PartnerReport[];
  attempt: number;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

const DEFAULT_DELAYS = [1_000, 5_000, 30_000, 120_000, 600_000];

/**
 * The receiving end of secret-scanning partner reports, for any token issuer. Counts as PyPI's chart
 * does: `received` every match of every verified request; `valid` each token that was live when
 * first reported (the same token from many repositories is one); `processed` each valid token once
 * revoked and its owner notified. A failed step is retried from where it failed, so a token is
 * never revoked, counted valid or counted processed twice, and `processed` catches up with `valid`.
 * State is kept in memory: a token reported again after a restart finds itself already revoked.
 */
export function createPartnerReceiver<T>(options: ReceiverOptions<T>): PartnerReceiver {
  const delays = options.retryDelaysMs ?? DEFAULT_DELAYS;
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const types = options.tokenTypes ? new Set(options.tokenTypes) : null;
  const states = new Map<string, TokenState<T>>();
  const counts = { received: 0, valid: 0, processed: 0 };
  const rejected: Record<string, number> = {};
  let closed = false;
  let waiters: (() => void)[] = [];

  const reject = (status: number, reason: string, message: string): ReceiverResponse => {
    rejected[reason] = (rejected[reason] ?? 0) + 1;
    return { status, headers: { "content-type": "application/json" }, body: JSON.stringify({ message }) };
  };

  const pending = (): boolean => [...states.values()].some((s) => s.step !== "done");
  const settle = (): void => {
    if (pending() && !closed) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };

  /** Runs the token's next steps; on failure schedules a retry of the step that failed. */
  async function advance(hash: string, state: TokenState<T>): Promise<void> {
    try {
      if (state.step === "revoking") {
        await options.issuer.revoke(state.record, state.reports);
        state.step = "notifying";
        state.attempt = 0;
      }
      if (state.step === "notifying") {
        await options.issuer.notifyOwner(state.record, state.reports);
        state.step = "done";
        counts.processed++;
      }
    } catch (error) {
      const step = state.step === "revoking" ? "revoke" : "notify";
      options.onError?.(error, { step, tokenHash: hash, attempt: state.attempt });
      const delay = delays[Math.min(state.attempt, delays.length - 1)] ?? 600_000;
      state.attempt++;
      if (!closed) {
        state.timer = setTimeout(() => {
          state.timer = undefined;
          state.running = advance(hash, state).finally(() => (state.running = undefined));
        }, delay);
        state.timer.unref?.();
      }
    } finally {
      settle();
    }
  }

  async function handle(request: {
    body: Uint8Array;
    headers: Record<string, string | string[] | undefined>;
  }): Promise<ReceiverResponse> {
    const header = (name: string): string | undefined => {
      const wanted = name.toLowerCase();
      for (const [key, value] of Object.entries(request.headers))
        if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
      return undefined;
    };
    if (request.body.length > maxBody) return reject(413, "too_large", `the body is larger than ${maxBody} bytes`);
    const keyId = header(KEY_IDENTIFIER_HEADER);
    const signature = header(SIGNATURE_HEADER);
    if (!keyId || !signature)
      return reject(400, "unsigned", `the ${KEY_IDENTIFIER_HEADER} and ${SIGNATURE_HEADER} headers are required`);
    let key: string | null;
    try {
      key = await options.keySource.getKey(keyId);
    } catch {
      return reject(503, "keys_unavailable", "the sender's public keys cannot be fetched; try again later");
    }
    if (!key) return reject(401, "unknown_key", `no public key has the identifier ${keyId.slice(0, 80)}`);
    if (!verifySignature(request.body, signature, key))
      return reject(401, "bad_signature", "the signature does not match the body");
    let reports: PartnerReport[];
    try {
      reports = parseReports(request.body);
    } catch (error) {
      if (error instanceof ReportFormatError) return reject(400, "malformed", error.message);
      throw error;
    }
    counts.received += reports.length;

    // One entry per token, whichever repositories reported it.
    const byToken = new Map<string, PartnerReport[]>();
    for (const report of reports) {
      if (types && !types.has(report.type)) continue;
      const list = byToken.get(report.token);
      if (list) list.push(report);
      else byToken.set(report.token, [report]);
    }
    const feedback: TokenFeedback[] = [];
    for (const [token, matches] of byToken) {
      const hash = tokenHash(token);
      const type = matches[0]!.type;
      const answer = (label: Label, revoked: boolean): void =>
        void feedback.push({ token_hash: hash, token_type: type, label, revoked });
      const known = states.get(hash);
      if (known) {
        known.reports.push(...matches);
        answer("true_positive", known.step !== "revoking");
        continue;
      }
      const found = await options.issuer.lookup(matches[0]!);
      if (!found) {
        answer("false_positive", false);
        continue;
      }
      if (!found.active) {
        answer("true_positive", true);
        continue;
      }
      counts.valid++;
      const state: TokenState<T> = { record: found.record, step: "revoking", reports: [...matches], attempt: 0 };
      states.set(hash, state);
      // Revocation runs before the answer (the label then says it is revoked); a failed step retries in the background.
      await advance(hash, state);
      answer("true_positive", state.step !== "revoking");
    }
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(feedback) };
  }

  return {
    handle,
    listener(req, res) {
      if (req.method !== "POST") {
        res
          .writeHead(405, { allow: "POST", "content-type": "application/json" })
          .end(JSON.stringify({ message: "POST reports here" }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on("end", () => {
        const work = tooLarge
          ? Promise.resolve(reject(413, "too_large", `the body is larger than ${maxBody} bytes`))
          : handle({ body: Buffer.concat(chunks), headers: req.headers });
        work.then(
          (answer) => res.writeHead(answer.status, answer.headers).end(answer.body),
          () =>
            res
              .writeHead(500, { "content-type": "application/json" })
              .end(JSON.stringify({ message: "internal error" })),
        );
      });
    },
    metrics() {
      const lines = [
        "# HELP partner_reports_received_total Matches received in verified reports (the same token from many repositories counts each time).",
        "# TYPE partner_reports_received_total counter",
        `partner_reports_received_total ${counts.received}`,
        "# HELP partner_tokens_valid_total Distinct tokens that were live when first reported.",
        "# TYPE partner_tokens_valid_total counter",
        `partner_tokens_valid_total ${counts.valid}`,
        "# HELP partner_tokens_processed_total Valid tokens revoked and their owner notified.",
        "# TYPE partner_tokens_processed_total counter",
        `partner_tokens_processed_total ${counts.processed}`,
        "# HELP partner_requests_rejected_total Report requests refused, by reason.",
        "# TYPE partner_requests_rejected_total counter",
        ...Object.entries(rejected).map(([reason, n]) => `partner_requests_rejected_total{reason="${reason}"} ${n}`),
      ];
      return lines.join("\n") + "\n";
    },
    counters: () => ({ ...counts, rejected: { ...rejected } }),
    idle() {
      if (!pending() || closed) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    close() {
      closed = true;
      for (const state of states.values()) if (state.timer) clearTimeout(state.timer);
      settle();
    },
  };
}
