import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { pino } from "pino";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMetrics, type VigilMetrics } from "../metrics/vigil-metrics.js";
import { createServer, type VigilServer } from "../server/create-server.js";
import { scanRepositoryHistory } from "../server/scan-repository-history.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { ISSUER_FAKES, startIssuerFakes, type RunningFake } from "../test-support/issuer-fakes.js";

const random = new ExampleRandom(0xa35);

describe.each(testDialects())("an AWS key id alert is checked with the secret key found beside it ($name)", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL to run it", () => {});
    return;
  }
  let opened: TestStore;
  let server: VigilServer;
  let fake: RunningFake;
  let work: string;
  let metrics: VigilMetrics;
  const keyId = `AKIA${random.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
  const secretKey = `${random.base64(19)}7${random.base64(20)}`;
  const loneKeyId = `AKIA${random.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;

  beforeEach(async () => {
    opened = await openTestStore(dialect, { env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") } });
    work = mkdtempSync(join(tmpdir(), "vigil-aws-pair-"));
    fake = await startIssuerFakes([ISSUER_FAKES.aws_access_key_id!], [{ secret: keyId, pair: secretKey }]);
    metrics = createMetrics({ processMetrics: false });
    server = createServer({
      metrics,
      store: opened.store,
      pushProtection: opened.pushProtection,
      storeEnv: {},
      dataDir: opened.dataDir,
      scanHistory: scanRepositoryHistory,
      log: pino({ level: "silent" }),
      validity: opened.validity,
      validityChecker: { testOnlyOrigin: fake.origin },
    });
  });
  afterEach(async () => {
    await server.close();
    await fake.close();
    await opened.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it("the pair is kept sealed with the alert, never shown by the API, and the check signs with it: active", async () => {
    const source = join(work, "source");
    execFileSync("git", ["init", "-q", "-b", "main", source]);
    writeFileSync(join(source, "credentials"), `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secretKey}\n`);
    writeFileSync(join(source, "deploy.sh"), `export AWS_ACCESS_KEY_ID=${loneKeyId}\n`);
    execFileSync("git", ["-C", source, "add", "."]);
    execFileSync("git", ["-C", source, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-qm", "init"]);
    const { store } = opened;
    const repo = await server.repositories.register({ owner: "acme", name: "infra", sourceUrl: source });
    await server.runner.idle();
    await opened.validity.setEnabled(repo.orgId, true);
    const admin = await store.createUser({ login: "root", siteAdmin: true });
    const { token } = await store.createToken({ userId: admin.id, scopes: ["repo", "security_events"] });
    const api = (method: string, path: string): Promise<Response> =>
      Promise.resolve(server.app.request(`http://vigil.test/api/v3${path}`, { method, headers: { authorization: `token ${token}` } }));

    const list = (await (await api("GET", "/repos/acme/infra/secret-scanning/alerts?sort=created&direction=asc")).json()) as { number: number; secret: string; secret_type: string }[];
    expect(list.map((a) => [a.secret_type, a.secret])).toEqual([
      ["aws_access_key_id", keyId],
      ["aws_access_key_id", loneKeyId],
    ]);
    const paired = list[0]!;
    const lone = list[1]!;

    // Sealed at rest: the store holds no copy of the secret key in clear.
    const rows = await sql<{ sealed_secret: string; secret_type: string }>`select sealed_secret, secret_type from alert_paired_secrets`.execute(opened.db);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.secret_type).toBe("aws_secret_access_key");
    expect(rows.rows[0]!.sealed_secret).not.toContain(secretKey);
    if (dialect.name === "sqlite") expect(readFileSync(join(opened.dataDir, "vigil.db")).includes(secretKey)).toBe(false);

    // The API shows the key id's alert as GitHub does: the secret key appears nowhere.
    for (const path of [`/repos/acme/infra/secret-scanning/alerts/${paired.number}`, `/repos/acme/infra/secret-scanning/alerts/${paired.number}/locations`]) {
      expect(await (await api("GET", path)).text()).not.toContain(secretKey);
    }

    const checked = await api("POST", `/repos/acme/infra/secret-scanning/alerts/${paired.number}/validity`);
    expect(checked.status).toBe(200);
    expect(await checked.json()).toMatchObject({ validity: "active" });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body).not.toContain(secretKey);

    // A key id found alone still cannot be checked, and nothing is sent for it.
    const alone = await api("POST", `/repos/acme/infra/secret-scanning/alerts/${lone.number}/validity`);
    expect(await alone.json()).toMatchObject({ validity: "unknown" });
    expect(fake.requests).toHaveLength(1);

    // Each answer is counted by result (vigil_validity_checks_total).
    const text = await metrics.registry.metrics();
    expect(text).toContain('vigil_validity_checks_total{result="active"} 1');
    expect(text).toContain('vigil_validity_checks_total{result="unknown"} 1');

    // A scan that sees the pair again keeps one sealed copy.
    await server.repositories.scheduleScan(repo, "incremental");
    await server.runner.idle();
    expect((await sql`select alert_id from alert_paired_secrets`.execute(opened.db)).rows).toHaveLength(1);
  });
});
