import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DetectedSecret } from "../alerts/types.js";
import { openStore, type OpenedStore } from "./index.js";

const run = promisify(execFile);
/** The built store (the test setup builds with tsc): child processes load it as `vigil serve` would. */
const BUILT_STORE = fileURLToPath(new URL("../../dist/store/index.js", import.meta.url));

const detection = (secret: string, path: string): DetectedSecret => ({
  secretType: "vigil_api_token",
  secretTypeDisplayName: "Vigil API Token",
  provider: "Vigil",
  secretCategory: "default",
  secret,
  isBase64Encoded: false,
  location: {
    type: "commit",
    details: {
      path,
      startLine: 1,
      endLine: 1,
      startColumn: 1,
      endColumn: 41,
      blobSha: "b".repeat(40),
      commitSha: "c".repeat(40),
    },
  },
});

const CHILD = `
const { openStore } = await import(process.env.STORE);
const opened = await openStore({ dataDir: process.env.DATA_DIR, env: {} });
const repo = await opened.store.getRepository("acme", "app");
const detection = ${detection.toString()};
for (let i = 0; i < Number(process.env.ROUNDS); i++) {
  await opened.store.recordDetections(repo.id, [
    detection("own-" + process.pid + "-" + i, "own.txt"),
    detection(process.env.SHARED, "shared-" + process.pid + "-" + i + ".txt"),
  ]);
  const user = await opened.store.createUser({ login: "u" + process.pid + "-" + i });
  await opened.store.createToken({ userId: user.id, scopes: ["repo"] });
}
await opened.close();
`;

describe("one SQLite file, several processes", () => {
  let dataDir: string;
  let opened: OpenedStore;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "vigil-processes-"));
    opened = await openStore({ dataDir, env: {} });
    await opened.store.createRepository({ owner: "acme", name: "app", sourceUrl: null, mirrorPath: "m" });
  });

  afterEach(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serialises writers of several processes: no lost write, no duplicate number, no busy error", async () => {
    const processes = 3;
    const rounds = 15;
    const shared = `shared-${Date.now()}`;
    const env = { ...process.env, STORE: BUILT_STORE, DATA_DIR: dataDir, ROUNDS: String(rounds), SHARED: shared };
    const children = Array.from({ length: processes }, () =>
      run(process.execPath, ["--input-type=module", "-e", CHILD], { env, timeout: 60_000 }),
    );
    // This process writes too, meanwhile.
    const repo = (await opened.store.getRepository("acme", "app"))!;
    for (let i = 0; i < rounds; i++)
      await opened.store.recordDetections(repo.id, [
        detection(`parent-${i}`, "parent.txt"),
        detection(shared, `shared-parent-${i}.txt`),
      ]);
    await Promise.all(children);

    const page = await opened.store.listAlerts({
      repoIds: [repo.id],
      sort: "created",
      direction: "asc",
      perPage: 100,
      page: 1,
    });
    const expected = (processes + 1) * rounds + 1;
    expect(page.alerts.map((a) => a.number)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
    const sharedAlert = page.alerts.find((a) => a.secret === shared)!;
    expect(sharedAlert.locationCount).toBe((processes + 1) * rounds);
    expect((await opened.store.listUsers()).length).toBe(processes * rounds);
  });
});
