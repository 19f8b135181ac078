import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test-support/run-cli.js";

const KEY = randomBytes(32).toString("base64");

describe("vigil campaign", () => {
  let dataDir: string;
  const cli = (args: string[]) => runCli([...args, "--data-dir", dataDir], { env: { VIGIL_SECRET_KEY: KEY } });

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "vigil-campaign-cli-"));
    expect(cli(["repo", "add", "acme/app"]).status).toBe(0);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates and lists campaigns; bad input is one line and exit 2", () => {
    const created = cli(["campaign", "create", "acme", "--name", "Active keys", "--validity", "active", "--ends-at", "2027-03-01"]);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toBe('campaign 1 "Active keys": 0 open alerts\n');
    expect(cli(["campaign", "list", "acme"]).stdout).toBe("1\topen\t0/0 open\t2027-03-01\tActive keys\n");
    const usage = (args: string[], message: RegExp) => {
      const r = cli(args);
      expect(r.status, r.stdout).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    };
    usage(["campaign", "create", "acme", "--name", "Active keys"], /already exists/);
    usage(["campaign", "create", "acme", "--name", "x", "--validity", "alive"], /--validity: "alive" is not one of active, inactive, unknown/);
    usage(["campaign", "create", "acme", "--name", "x", "--ends-at", "soon"], /--ends-at: a date as YYYY-MM-DD/);
    usage(["campaign", "create", "nobody", "--name", "x"], /no organization 'nobody'/);
    usage(["campaign", "show", "acme", "7"], /no campaign 7 in acme/);
    usage(["campaign", "export", "acme", "1", "--format", "xml"], /--format: "xml" is not csv or json/);
    usage(["campaign", "outreach", "acme", "1", "--public-url", "https://vigil.example"], /No forge is connected/);
    const exported = cli(["campaign", "export", "acme", "1"]);
    expect(exported.stdout).toBe("organization,repository,secret_type,secret_value,maintainers\r\n");
  });
});
