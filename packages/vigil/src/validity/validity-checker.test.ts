import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { validityChecks } from "vigil-secrets-engine";
import { ISSUER_FAKES, startIssuerFakes, type RunningFake } from "../test-support/issuer-fakes.js";
import { signSigV4 } from "./sigv4.js";
import { createValidityChecker, testOnlyOriginFromEnv } from "./validity-checker.js";

/** Synthesised per run: nothing here looks like a real credential of any provider. */
const fresh = (label: string): string => `${label}-${randomBytes(12).toString("hex")}`;

let running: RunningFake[] = [];
afterEach(async () => {
  await Promise.all(running.map((f) => f.close()));
  running = [];
});

describe("every checked secret type against a local fake of its issuer's documented endpoint", () => {
  const types = [...validityChecks().keys()].sort();

  it("has a fake for each type", () => {
    expect(types.filter((t) => !ISSUER_FAKES[t])).toEqual([]);
  });

  for (const type of types) {
    it(`${type}: a live credential is active, a revoked one inactive`, async () => {
      const fake = ISSUER_FAKES[type]!;
      const check = validityChecks().get(type)!;
      const live = { secret: fresh("live"), ...(check.pair ? { pair: fresh("pair") } : {}) };
      const server = await startIssuerFakes([fake], [live]);
      running.push(server);
      const checker = createValidityChecker({ testOnlyOrigin: server.origin, backoffMs: 1 });
      const active = await checker.check({ secretType: type, ...live });
      expect(active, `${type} live`).toMatchObject({ validity: "active", asked: true, provider: check.provider });
      const revoked = await checker.check({
        secretType: type,
        secret: fresh("revoked"),
        ...(check.pair ? { pair: fresh("pair") } : {}),
      });
      expect(revoked, `${type} revoked`).toMatchObject({ validity: "inactive", asked: true });
      // The issuer got the request on the documented method and path, and nothing in our answer holds the secret.
      expect(server.requests.every((r) => r.method === fake.method)).toBe(true);
      expect(JSON.stringify([active, revoked])).not.toContain(live.secret);
    });
  }
});

describe("the AWS pair", () => {
  it("a live key id with the wrong secret key is inactive (SignatureDoesNotMatch is not active)", async () => {
    const live = { secret: fresh("AKIA"), pair: fresh("sk") };
    const server = await startIssuerFakes([ISSUER_FAKES.aws_access_key_id!], [live]);
    running.push(server);
    const checker = createValidityChecker({ testOnlyOrigin: server.origin });
    const wrong = await checker.check({ secretType: "aws_access_key_id", secret: live.secret, pair: fresh("other") });
    expect(wrong.validity).toBe("inactive");
  });

  it("without the secret key the key id is not sent anywhere", async () => {
    const server = await startIssuerFakes([ISSUER_FAKES.aws_access_key_id!], []);
    running.push(server);
    const outcome = await createValidityChecker({ testOnlyOrigin: server.origin }).check({
      secretType: "aws_access_key_id",
      secret: fresh("AKIA"),
    });
    expect(outcome).toEqual({
      validity: "unknown",
      asked: false,
      detail: "needs its pair (aws_secret_access_key)",
      provider: "Amazon AWS",
    });
    expect(server.requests).toHaveLength(0);
  });

  it("signs as AWS's published SigV4 example (get-vanilla)", () => {
    const headers = signSigV4(
      { method: "GET", url: "https://example.amazonaws.com/", headers: {} },
      {
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: ["wJalrXUtnFEMI", "K7MDENG+bPxRfiCYEXAMPLEKEY"].join("/"),
        region: "us-east-1",
        service: "service",
      },
      new Date("2015-08-30T12:36:00Z"),
    );
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });
});

describe("limits", () => {
  const live = { secret: fresh("live") };

  it("backs off on 429, honouring Retry-After, then reads the real answer", async () => {
    const server = await startIssuerFakes([ISSUER_FAKES.openai_api_key!], [live], {
      faults: { status: 429, count: 1, retryAfter: "1" },
    });
    running.push(server);
    const started = Date.now();
    const outcome = await createValidityChecker({ testOnlyOrigin: server.origin, backoffMs: 1 }).check({
      secretType: "openai_api_key",
      ...live,
    });
    expect(outcome.validity).toBe("active");
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("retries a 5xx up to maxAttempts, then answers unknown", async () => {
    const server = await startIssuerFakes([ISSUER_FAKES.openai_api_key!], [live], {
      faults: { status: 503, count: 10 },
    });
    running.push(server);
    const outcome = await createValidityChecker({ testOnlyOrigin: server.origin, backoffMs: 5, maxAttempts: 3 }).check({
      secretType: "openai_api_key",
      ...live,
    });
    expect(outcome).toMatchObject({ validity: "unknown", asked: true, detail: "HTTP 503" });
    expect(server.requests).toHaveLength(3);
  });

  it("stops at the time budget instead of waiting out a long Retry-After", async () => {
    const server = await startIssuerFakes([ISSUER_FAKES.openai_api_key!], [live], {
      faults: { status: 429, count: 10, retryAfter: "120" },
    });
    running.push(server);
    const started = Date.now();
    const outcome = await createValidityChecker({ testOnlyOrigin: server.origin, budgetMs: 500 }).check({
      secretType: "openai_api_key",
      ...live,
    });
    expect(outcome.validity).toBe("unknown");
    expect(outcome.detail).toContain("time budget spent");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(1);
  });

  it("keeps to the provider's rate limit: the request past it waits for the window", async () => {
    const server = await startIssuerFakes([ISSUER_FAKES.openai_api_key!], [live]);
    running.push(server);
    const checker = createValidityChecker({
      testOnlyOrigin: server.origin,
      rateLimits: { openai: { requests: 2, perSeconds: 1 } },
    });
    const started = Date.now();
    const outcomes = await Promise.all([1, 2, 3].map(() => checker.check({ secretType: "openai_api_key", ...live })));
    expect(outcomes.map((o) => o.validity)).toEqual(["active", "active", "active"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("a provider at its limit answers unknown past the budget and does not hold up another provider", async () => {
    const server = await startIssuerFakes([ISSUER_FAKES.openai_api_key!, ISSUER_FAKES.groq_api_key!], [live]);
    running.push(server);
    const checker = createValidityChecker({
      testOnlyOrigin: server.origin,
      budgetMs: 2000,
      rateLimits: { openai: { requests: 1, perSeconds: 60 } },
    });
    expect((await checker.check({ secretType: "openai_api_key", ...live })).validity).toBe("active");
    expect(await checker.check({ secretType: "openai_api_key", ...live })).toMatchObject({
      validity: "unknown",
      asked: false,
      detail: "time budget spent",
    });
    expect((await checker.check({ secretType: "groq_api_key", ...live })).validity).toBe("active");
    expect(server.requests).toHaveLength(2);
  });

  it("runs at most `concurrency` checks at once", async () => {
    let inFlight = 0;
    let most = 0;
    const server = createServer((_req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      }, 50);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const checker = createValidityChecker({ testOnlyOrigin: origin, concurrency: 2 });
    await Promise.all(
      ["openai_api_key", "groq_api_key", "mistral_ai_api_key", "replicate_api_token", "deepseek_api_key"].map((t) =>
        checker.check({ secretType: t, secret: fresh("x") }),
      ),
    );
    await new Promise<void>((r) => server.close(() => r()));
    expect(most).toBe(2);
  });

  it("does not follow an issuer's redirect (the secret goes to the check's host only)", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const outcome = await createValidityChecker({ testOnlyOrigin: origin }).check({
      secretType: "openai_api_key",
      secret: fresh("x"),
    });
    await new Promise<void>((r) => server.close(() => r()));
    expect(outcome).toMatchObject({ validity: "unknown", detail: "HTTP 302" });
    expect(seen).toEqual(["/v1/models"]);
  });

  it("a type without a check is unknown and sends nothing", async () => {
    const outcome = await createValidityChecker().check({ secretType: "pypi_api_token", secret: fresh("x") });
    expect(outcome).toEqual({
      validity: "unknown",
      asked: false,
      detail: "no validity check for this secret type",
      provider: null,
    });
  });
});

describe("testOnlyOriginFromEnv", () => {
  it("accepts only a loopback http origin", () => {
    expect(testOnlyOriginFromEnv({})).toBeUndefined();
    expect(testOnlyOriginFromEnv({ VIGIL_TEST_ONLY_VALIDITY_ORIGIN: "http://127.0.0.1:4000/x" })).toBe(
      "http://127.0.0.1:4000",
    );
    expect(() => testOnlyOriginFromEnv({ VIGIL_TEST_ONLY_VALIDITY_ORIGIN: "https://collector.example" })).toThrow(
      /loopback/,
    );
  });
});
