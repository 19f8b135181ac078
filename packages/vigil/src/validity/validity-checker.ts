import {
  buildCheckRequest,
  classifyCheckResponse,
  validityCheckFor,
  type ValidityCheck,
  type Validity,
} from "vigil-secrets-engine";
import { VigilError } from "../errors.js";
import { SIGNERS } from "./signers.js";

export interface ValidityCheckerOptions {
  fetch?: typeof fetch;
  /** Checks in flight at once, across providers (default 4). */
  concurrency?: number;
  /** One HTTP request (default 10 s). */
  timeoutMs?: number;
  /** One check, retries and rate-limit waits included (default 30 s): past it the answer is `unknown`. */
  budgetMs?: number;
  /** Requests per check, first one included, when the issuer answers 429 or 5xx or the network fails (default 3). */
  maxAttempts?: number;
  /** First backoff delay, doubled per retry, unless the issuer sends Retry-After (default 1 s). */
  backoffMs?: number;
  /** Per-provider limits (by check document name, e.g. `github`) in place of the documents' own. */
  rateLimits?: Record<string, { requests: number; perSeconds: number }>;
  /**
   * TESTS ONLY: sends every check to this origin (`http://127.0.0.1:port`) instead of the issuer's
   * host, which the fake then sees as the request's path and headers. Never set from user input:
   * the CLI and server take it only from `VIGIL_TEST_ONLY_VALIDITY_ORIGIN`.
   */
  testOnlyOrigin?: string;
  now?: () => Date;
}

export interface CheckInput {
  secretType: string;
  secret: string;
  /** The other half of a pair (an AWS secret key for its key id), when it was found. */
  pair?: string;
  signal?: AbortSignal;
}

export interface CheckOutcome {
  validity: Validity;
  /** Whether the issuer was asked (false: no check for the type, a pair is missing, or local limits). */
  asked: boolean;
  /** Why, in words without the secret: `HTTP 401`, `no check for this type`, `time budget spent`. */
  detail: string;
  provider: string | null;
}

export interface ValidityChecker {
  check(input: CheckInput): Promise<CheckOutcome>;
  /** Whether the type has a check at all. */
  supports(secretType: string): boolean;
}

class BudgetSpent extends Error {}

/**
 * Sends declarative checks (packages/engine/rules/validity/) to their issuers: only to the host the
 * check document names, only the secret (and its pair) the check needs. Limits: `concurrency`
 * checks at once, each provider's rate limit (a sliding window shared by all checks), backoff on
 * 429/5xx, and a time budget per check. Never throws for an issuer's answer; nothing it logs or
 * returns holds the secret.
 */
export function createValidityChecker(options: ValidityCheckerOptions = {}): ValidityChecker {
  const doFetch = options.fetch ?? fetch;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const budgetMs = options.budgetMs ?? 30_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const backoffMs = options.backoffMs ?? 1000;
  const now = options.now ?? (() => new Date());
  const windows = new Map<string, number[]>();
  let running = 0;
  const waiting: (() => void)[] = [];

  const acquire = async (): Promise<void> => {
    if (running < concurrency) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new BudgetSpent());
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new BudgetSpent());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  /** Waits for a slot in the provider's window; BudgetSpent when the wait would outlast the deadline. */
  const takeRateSlot = async (
    check: ValidityCheck,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<void> => {
    const limit = options.rateLimits?.[check.providerKey] ?? check.rateLimit;
    const windowMs = limit.perSeconds * 1000;
    for (;;) {
      const t = Date.now();
      const times = (windows.get(check.providerKey) ?? []).filter((x) => x > t - windowMs);
      windows.set(check.providerKey, times);
      if (times.length < limit.requests) {
        times.push(t);
        return;
      }
      const wait = times[0]! + windowMs - t;
      if (t + wait > deadline) throw new BudgetSpent();
      await sleep(wait, signal);
    }
  };

  async function send(
    check: ValidityCheck,
    input: CheckInput,
    deadline: number,
  ): Promise<{ status: number; body: string; retryAfterMs: number | null }> {
    const built = buildCheckRequest(check, input.secret, input.pair);
    if ("problem" in built) throw new Error(built.problem);
    const headers = { ...built.headers };
    if (check.signer) Object.assign(headers, SIGNERS[check.signer]!(built, input.secret, input.pair ?? "", now()));
    let url = built.url;
    if (options.testOnlyOrigin) {
      const target = new URL(built.url);
      url = `${options.testOnlyOrigin.replace(/\/+$/, "")}${target.pathname}${target.search}`;
    }
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    input.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(), Math.max(1, Math.min(timeoutMs, deadline - Date.now())));
    try {
      const response = await doFetch(url, {
        method: built.method,
        headers: { "user-agent": "vigil-validity-check", ...headers },
        ...(built.body !== undefined ? { body: built.body } : {}),
        // An issuer's redirect could lead anywhere: the secret goes only to the check's own host.
        redirect: "manual",
        signal: controller.signal,
      });
      // Enough of the body to read a JSON error; an issuer's answer to a check is small.
      const body = (await response.text()).slice(0, 64 * 1024);
      const retryAfter = response.headers.get("retry-after");
      const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : null;
      return { status: response.status, body, retryAfterMs: seconds };
    } finally {
      clearTimeout(timer);
      input.signal?.removeEventListener("abort", onAbort);
    }
  }

  return {
    supports: (secretType) => validityCheckFor(secretType) !== undefined,
    async check(input) {
      const check = validityCheckFor(input.secretType);
      if (!check)
        return { validity: "unknown", asked: false, detail: "no validity check for this secret type", provider: null };
      const provider = check.provider;
      const problem = (() => {
        const built = buildCheckRequest(check, input.secret, input.pair);
        return "problem" in built ? built.problem : null;
      })();
      if (problem) return { validity: "unknown", asked: false, detail: problem, provider };
      const deadline = Date.now() + budgetMs;
      await acquire();
      try {
        let detail = "";
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          await takeRateSlot(check, deadline, input.signal);
          let retryAfterMs: number | null = null;
          try {
            const answer = await send(check, input, deadline);
            const validity = classifyCheckResponse(check, answer);
            detail = `HTTP ${answer.status}`;
            const transient = answer.status === 429 || answer.status >= 500;
            if (validity !== "unknown" || !transient) return { validity, asked: true, detail, provider };
            retryAfterMs = answer.retryAfterMs;
          } catch (error) {
            if (error instanceof BudgetSpent || input.signal?.aborted) throw new BudgetSpent();
            detail = Date.now() >= deadline ? "time budget spent" : "the issuer could not be reached";
          }
          if (attempt === maxAttempts) break;
          const delay = retryAfterMs ?? backoffMs * 2 ** (attempt - 1);
          if (Date.now() + delay >= deadline) {
            detail = `${detail}; time budget spent`;
            break;
          }
          await sleep(delay, input.signal);
        }
        return { validity: "unknown", asked: true, detail, provider };
      } catch (error) {
        if (error instanceof BudgetSpent)
          return { validity: "unknown", asked: false, detail: "time budget spent", provider };
        throw error;
      } finally {
        release();
      }
    },
  };
}

/** The test-only origin from the environment (see ValidityCheckerOptions.testOnlyOrigin), checked to be a loopback http origin. */
export function testOnlyOriginFromEnv(env: Record<string, string | undefined>): string | undefined {
  const value = env.VIGIL_TEST_ONLY_VALIDITY_ORIGIN;
  if (!value) return undefined;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || url.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    throw new VigilError(
      "ERR_CONFIG_INVALID",
      "VIGIL_TEST_ONLY_VALIDITY_ORIGIN must be a loopback http origin (it is for tests only)",
    );
  }
  return url.origin;
}

/** The checker's options the environment may set: only the test redirection. */
export function validityCheckerOptionsFromEnv(env: Record<string, string | undefined>): ValidityCheckerOptions {
  const testOnlyOrigin = testOnlyOriginFromEnv(env);
  return testOnlyOrigin ? { testOnlyOrigin } : {};
}
