import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createStaticKeySource, createUrlKeySource, type PublicKey } from "./key-source.js";
import { createPartnerReceiver, type TokenIssuer } from "./receiver.js";
import type { PartnerReport } from "./reports.js";
import { keyIdentifierOf, signPayload, tokenHash } from "./signature.js";

function keyPair(): { publicKey: string; privateKey: string; id: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ec", {
    namedCurve: "prime256v1",
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { publicKey, privateKey, id: keyIdentifierOf(publicKey) };
}

/** A token table like an issuer's: live tokens, revoked ones, and what happened to them. */
function tokenTable(live: string[], options: { failNotify?: number } = {}) {
  const rows = new Map(live.map((t) => [t, { token: t, active: true }]));
  const revoked: string[] = [];
  const notified: { token: string; urls: string[] }[] = [];
  let notifyFailures = options.failNotify ?? 0;
  const issuer: TokenIssuer<{ token: string; active: boolean }> = {
    lookup: (report) => {
      const row = rows.get(report.token);
      return Promise.resolve(row ? { record: row, active: row.active } : null);
    },
    revoke: (row) => {
      row.active = false;
      revoked.push(row.token);
      return Promise.resolve();
    },
    notifyOwner: (row, reports) => {
      if (notifyFailures > 0) {
        notifyFailures--;
        return Promise.reject(new Error("the mail server bounced"));
      }
      notified.push({ token: row.token, urls: reports.map((r) => r.url) });
      return Promise.resolve();
    },
  };
  return { rows, revoked, notified, issuer };
}

const report = (token: string, url: string): PartnerReport => ({ token, type: "acme_token", url, source: "commit" });
const signed = (body: string, key: { privateKey: string; id: string }) => ({
  body: Buffer.from(body),
  headers: {
    "GITHUB-PUBLIC-KEY-IDENTIFIER": key.id,
    "github-public-key-signature": signPayload(Buffer.from(body), key.privateKey),
  },
});

let closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers) close();
  closers = [];
});

describe("createPartnerReceiver", () => {
  const key = keyPair();
  const keys: PublicKey[] = [{ keyIdentifier: key.id, key: key.publicKey, isCurrent: true }];

  it("verifies, revokes each token once however many repositories reported it, answers labels and counts received > valid = processed", async () => {
    const table = tokenTable(["acme_live_1"]);
    const receiver = createPartnerReceiver({ keySource: createStaticKeySource(keys), issuer: table.issuer });
    closers.push(() => receiver.close());
    const body = JSON.stringify([
      report("acme_live_1", "https://forge.test/a/one"),
      report("acme_live_1", "https://forge.test/b/two"),
      report("acme_never_issued", ""),
    ]);
    const res = await receiver.handle(signed(body, key));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual([
      { token_hash: tokenHash("acme_live_1"), token_type: "acme_token", label: "true_positive", revoked: true },
      { token_hash: tokenHash("acme_never_issued"), token_type: "acme_token", label: "false_positive", revoked: false },
    ]);
    // The same token again, from a fork: acknowledged, not revoked or counted again.
    const again = await receiver.handle(
      signed(JSON.stringify([report("acme_live_1", "https://forge.test/c/fork")]), key),
    );
    expect(JSON.parse(again.body)).toEqual([expect.objectContaining({ label: "true_positive", revoked: true })]);
    expect(table.revoked).toEqual(["acme_live_1"]);
    expect(table.notified).toEqual([
      { token: "acme_live_1", urls: ["https://forge.test/a/one", "https://forge.test/b/two"] },
    ]);
    expect(receiver.counters()).toMatchObject({ received: 4, valid: 1, processed: 1 });
    expect(receiver.metrics()).toContain("partner_reports_received_total 4\n");
    expect(receiver.metrics()).toContain("partner_tokens_valid_total 1\n");
    expect(receiver.metrics()).toContain("partner_tokens_processed_total 1\n");
  });

  it("a token already revoked is a true positive but not valid", async () => {
    const table = tokenTable(["acme_old"]);
    table.rows.get("acme_old")!.active = false;
    const receiver = createPartnerReceiver({ keySource: createStaticKeySource(keys), issuer: table.issuer });
    const res = await receiver.handle(signed(JSON.stringify([report("acme_old", "")]), key));
    expect(JSON.parse(res.body)).toEqual([expect.objectContaining({ label: "true_positive", revoked: true })]);
    expect(receiver.counters()).toMatchObject({ received: 1, valid: 0, processed: 0 });
    expect(table.revoked).toEqual([]);
  });

  it("retries a failed owner notification without revoking or counting again; processed catches up with valid", async () => {
    const table = tokenTable(["acme_live_2"], { failNotify: 2 });
    const errors: string[] = [];
    const receiver = createPartnerReceiver({
      keySource: createStaticKeySource(keys),
      issuer: table.issuer,
      retryDelaysMs: [10, 10],
      onError: (_e, ctx) => errors.push(ctx.step),
    });
    closers.push(() => receiver.close());
    await receiver.handle(signed(JSON.stringify([report("acme_live_2", "u")]), key));
    expect(receiver.counters()).toMatchObject({ valid: 1, processed: 0 });
    // Reported again while the notification is pending: still one token.
    await receiver.handle(signed(JSON.stringify([report("acme_live_2", "v")]), key));
    await receiver.idle();
    expect(errors).toEqual(["notify", "notify"]);
    expect(table.revoked).toEqual(["acme_live_2"]);
    expect(table.notified).toHaveLength(1);
    expect(receiver.counters()).toMatchObject({ received: 2, valid: 1, processed: 1 });
  });

  it("refuses unsigned, forged and malformed requests without counting their matches", async () => {
    const table = tokenTable(["acme_live_3"]);
    const receiver = createPartnerReceiver({ keySource: createStaticKeySource(keys), issuer: table.issuer });
    const body = JSON.stringify([report("acme_live_3", "")]);
    expect((await receiver.handle({ body: Buffer.from(body), headers: {} })).status).toBe(400);
    const forged = signed(body, key);
    const tampered = await receiver.handle({
      ...forged,
      body: Buffer.from(body.replace("acme_live_3", "acme_live_4")),
    });
    expect(tampered.status).toBe(401);
    const stranger = keyPair();
    expect((await receiver.handle(signed(body, stranger))).status).toBe(401);
    expect((await receiver.handle(signed(body, { ...stranger, id: key.id }))).status).toBe(401);
    const notList = await receiver.handle(signed(JSON.stringify({ token: "x" }), key));
    expect(notList.status).toBe(400);
    expect(JSON.parse(notList.body).message).toMatch(/array/);
    expect((await receiver.handle(signed(JSON.stringify([{ type: "acme_token" }]), key))).status).toBe(400);
    expect((await receiver.handle(signed("[", key))).status).toBe(400);
    expect(receiver.counters()).toMatchObject({
      received: 0,
      valid: 0,
      rejected: { unsigned: 1, bad_signature: 2, unknown_key: 1, malformed: 3 },
    });
    expect(table.revoked).toEqual([]);
  });

  it("fetches the sender's keys from its URL, caches them, and refetches on an unknown identifier (key rotation)", async () => {
    const first = keyPair();
    const second = keyPair();
    let published: PublicKey[] = [{ keyIdentifier: first.id, key: first.publicKey, isCurrent: true }];
    let fetches = 0;
    const server: Server = createServer((req, res) => {
      fetches++;
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          public_keys: published.map((k) => ({
            key_identifier: k.keyIdentifier,
            key: k.key,
            is_current: k.isCurrent,
          })),
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/meta/public_keys/secret_scanning`;
    const table = tokenTable(["acme_a", "acme_b"]);
    const receiver = createPartnerReceiver({
      keySource: createUrlKeySource({ url, minRefreshIntervalMs: 0 }),
      issuer: table.issuer,
    });
    expect((await receiver.handle(signed(JSON.stringify([report("acme_a", "")]), first))).status).toBe(200);
    expect((await receiver.handle(signed(JSON.stringify([report("acme_a", "")]), first))).status).toBe(200);
    expect(fetches).toBe(1);
    published = [
      { keyIdentifier: second.id, key: second.publicKey, isCurrent: true },
      { ...published[0]!, isCurrent: false },
    ];
    expect((await receiver.handle(signed(JSON.stringify([report("acme_b", "")]), second))).status).toBe(200);
    expect(fetches).toBe(2);
    expect(table.revoked).toEqual(["acme_a", "acme_b"]);
  });

  it("serves node:http: POST only, the body read whole", async () => {
    const table = tokenTable(["acme_live_5"]);
    const receiver = createPartnerReceiver({
      keySource: createStaticKeySource(keys),
      issuer: table.issuer,
      maxBodyBytes: 4096,
    });
    const server = createServer((req, res) => receiver.listener(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const request = signed(JSON.stringify([report("acme_live_5", "")]), key);
    const res = await fetch(url, { method: "POST", headers: request.headers, body: request.body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([expect.objectContaining({ label: "true_positive" })]);
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url, { method: "POST", headers: request.headers, body: "x".repeat(5000) })).status).toBe(413);
  });

  it("keeps verifying with the last keys it fetched while the sender's URL is down, and answers 503 when it never had any", async () => {
    let up = true;
    let clock = 0;
    const keyFetch: typeof fetch = () =>
      Promise.resolve(
        up
          ? Response.json({ public_keys: [{ key_identifier: key.id, key: key.publicKey, is_current: true }] })
          : new Response("unavailable", { status: 503 }),
      );
    const table = tokenTable(["acme_k1", "acme_k2"]);
    const receiver = createPartnerReceiver({
      keySource: createUrlKeySource({ url: "http://127.0.0.1:9/keys", fetch: keyFetch, ttlMs: 1000, now: () => clock }),
      issuer: table.issuer,
    });
    expect((await receiver.handle(signed(JSON.stringify([report("acme_k1", "")]), key))).status).toBe(200);
    up = false;
    clock += 5000;
    expect((await receiver.handle(signed(JSON.stringify([report("acme_k2", "")]), key))).status).toBe(200);
    const cold = createPartnerReceiver({
      keySource: createUrlKeySource({ url: "http://127.0.0.1:9/keys", fetch: keyFetch }),
      issuer: table.issuer,
    });
    expect((await cold.handle(signed(JSON.stringify([report("acme_k2", "")]), key))).status).toBe(503);
  });
});
