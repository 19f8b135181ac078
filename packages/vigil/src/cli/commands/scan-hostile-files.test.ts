import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, describe, expect, it } from "vitest";
import { createTempRepository } from "../../sources/git/temp-repository.js";
import { CLI } from "../../test-support/run-cli.js";

// Hostile inputs a scan meets on real machines: devices and FIFOs given as paths or met in a walk,
// endless standard input, names that are not UTF-8, secrets right after bytes that are not UTF-8,
// symbolic link loops. Each run has a time bound: a scan that blocks or reads without end fails it.

const r = new ExampleRandom(1015);
const dirs: string[] = [];
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vigil-hostile-"));
  dirs.push(dir);
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI with a time bound (a blocked or endless scan is killed and fails the test). */
function vigil(args: string[], options: { cwd?: string; stdin?: number | "ignore" } = {}): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, CI: "true", NO_COLOR: "1" },
    stdio: [options.stdin ?? "ignore", "pipe", "pipe"],
    encoding: "utf8",
    timeout: 20_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(result.signal, `vigil ${args.join(" ")} did not finish in 20 s`).toBeNull();
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

async function listenOnSocket(path: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
}

describe("special files: scan regular files only", () => {
  it("/dev/zero given as a path is skipped with a warning, not read", () => {
    const result = vigil(["scan", "--no-progress", "/dev/zero"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("/dev/zero: not a regular file (a character device), skipped");
  });

  it("a FIFO given as a path (no writer) is skipped with a warning instead of blocking", () => {
    const dir = tempDir();
    mkfifo(join(dir, "pipe"));
    const result = vigil(["scan", "--no-progress", join(dir, "pipe")]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/pipe: not a regular file \(a FIFO\), skipped/);
  });

  it("FIFOs, sockets and links to devices met in a walk are skipped with a warning; the regular files beside them are scanned", async () => {
    const dir = tempDir();
    const token = r.githubToken("ghp");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "app.env"), `GITHUB_TOKEN=${token}\n`);
    mkfifo(join(dir, "sub", "queue"));
    await listenOnSocket(join(dir, "sub", "daemon.sock"));
    symlinkSync("/dev/zero", join(dir, "sub", "zero"));
    const result = await new Promise<Run>((resolve) =>
      setImmediate(() => resolve(vigil(["scan", "--no-progress", "-f", "json", "--show-secrets", dir]))),
    );
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as Array<{ secret: string }>).map((f) => f.secret)).toEqual([token]);
    expect(result.stderr).toMatch(/queue: not a regular file \(a FIFO\), skipped/);
    expect(result.stderr).toMatch(/daemon\.sock: not a regular file \(a socket\), skipped/);
    expect(result.stderr).not.toContain("zero"); // symbolic links are not followed in a walk
  });

  it("standard input is read up to the size limit, not without end (vigil scan - < /dev/zero)", () => {
    const zero = openSync("/dev/zero", "r");
    try {
      const result = vigil(["scan", "--no-progress", "--max-file-size", "1MB", "-"], { stdin: zero });
      expect(result.status).toBe(0);
      expect(result.stderr).toContain("skipped 1 too large");
    } finally {
      closeSync(zero);
    }
  });

  it("standard input within the limit is scanned", () => {
    const token = r.githubToken("ghp");
    const result = spawnSync(process.execPath, [CLI, "scan", "--no-progress", "-f", "json", "--show-secrets", "-"], {
      input: `T=${token}\n`,
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as Array<{ secret: string }>).map((f) => f.secret)).toEqual([token]);
  });
});

describe("huge lines and binary floods", () => {
  it("a 9 MB file of one line finds the secrets at its start and its end", () => {
    const dir = tempDir();
    const first = r.githubToken("ghp");
    const last = r.githubToken("ghp");
    writeFileSync(join(dir, "one-line.txt"), `${first} ${"x=1;".repeat(9 * 1024 * 256)} ${last}`);
    const result = vigil(["scan", "--no-progress", "-f", "json", "--show-secrets", dir]);
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as Array<{ secret: string }>).map((f) => f.secret).sort()).toEqual(
      [first, last].sort(),
    );
  });

  it("a flood of random bytes is skipped as binary, or scanned with --scan-binaries, without a crash; a secret inside is found", () => {
    const dir = tempDir();
    const token = r.githubToken("ghp");
    const noise = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE(r.next(), i);
    const middle = noise.length / 2;
    Buffer.from(` ${token} `).copy(noise, middle);
    writeFileSync(join(dir, "flood.bin"), noise);
    const skipped = vigil(["scan", "--no-progress", dir]);
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toContain("skipped 1 binary");
    const scanned = vigil(["scan", "--no-progress", "--scan-binaries", "-f", "json", "--show-secrets", dir]);
    expect(scanned.status).toBe(1);
    expect((JSON.parse(scanned.stdout) as Array<{ secret: string }>).map((f) => f.secret)).toContain(token);
  });
});

describe("a symbolic link as the scan path", () => {
  it('a loop says it is a loop (exit 2), not "path not found"', () => {
    const dir = tempDir();
    symlinkSync("b", join(dir, "a"));
    symlinkSync("a", join(dir, "b"));
    const result = vigil(["scan", "--no-progress", join(dir, "a")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^vigil: .*a: a symbolic link loop/m);
    expect(result.stderr).not.toContain("path not found");
  });

  it('a link to nothing names its target; a path that does not exist is still "path not found"', () => {
    const dir = tempDir();
    symlinkSync("gone.txt", join(dir, "link"));
    const dangling = vigil(["scan", "--no-progress", join(dir, "link")]);
    expect(dangling.status).toBe(2);
    expect(dangling.stderr).toMatch(/link: a symbolic link to gone\.txt whose target does not exist/);
    const missing = vigil(["scan", "--no-progress", join(dir, "nothing-here")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("path not found");
  });
});

describe("bytes that are not UTF-8", () => {
  const LATIN1_NAME = Buffer.from("caf\xe9.env", "latin1");

  it("a file whose name is not UTF-8 is scanned and reported with its name escaped", () => {
    const dir = tempDir();
    const token = r.githubToken("ghp");
    writeFileSync(Buffer.concat([Buffer.from(dir + "/"), LATIN1_NAME]), `T=${token}\n`);
    const result = vigil(["scan", "--no-progress", "-f", "json", "--show-secrets", "."], { cwd: dir });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ secret: token, path: "caf\\xe9.env" })]);
    expect(result.stderr).not.toContain("could not be read");
  });

  it.each([
    ["e9", [0xe9]],
    ["ff", [0xff]],
    ["a lone c3", [0xc3]],
  ])("a secret directly after %s is found, in a file and in git history", (_, bytes) => {
    const token = r.githubToken("ghp");
    const content = Buffer.concat([Buffer.from("x"), Buffer.from(bytes), Buffer.from(token), Buffer.from("\n")]);
    const dir = tempDir();
    writeFileSync(join(dir, "latin1.txt"), content);
    const files = vigil(["scan", "--no-progress", "-f", "json", "--show-secrets", join(dir, "latin1.txt")]);
    expect((JSON.parse(files.stdout) as Array<{ secret: string }>).map((f) => f.secret)).toEqual([token]);
    const repo = createTempRepository();
    dirs.push(repo.dir);
    repo.commit("latin1", { "latin1.txt": content });
    const history = vigil(["scan", "--no-progress", "-f", "json", "--show-secrets", repo.dir]);
    expect((JSON.parse(history.stdout) as Array<{ secret: string }>).map((f) => f.secret)).toEqual([token]);
  });

  it("in git history and in the work tree, a name that is not UTF-8 is reported escaped (git quotes it unless -z)", () => {
    const repo = createTempRepository();
    dirs.push(repo.dir);
    const committed = r.githubToken("ghp");
    const untracked = r.githubToken("ghp");
    writeFileSync(Buffer.concat([Buffer.from(repo.dir + "/"), LATIN1_NAME]), `T=${committed}\n`);
    repo.git("add", "-A");
    repo.commit("latin1 name");
    writeFileSync(Buffer.concat([Buffer.from(repo.dir + "/new-"), LATIN1_NAME]), `T=${untracked}\n`);
    const result = vigil(["scan", "--no-progress", "-f", "json", "--show-secrets", repo.dir]);
    expect(result.status).toBe(1);
    const found = JSON.parse(result.stdout) as Array<{ secret: string; path: string }>;
    expect(found.map((f) => [f.path.replace(/^.*\//, ""), f.secret]).sort()).toEqual(
      [
        ["caf\\xe9.env", committed],
        ["new-caf\\xe9.env", untracked],
      ].sort(),
    );
  });
});
