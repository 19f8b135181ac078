import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCatFileReader, type CatFileObject, type CatFileReader } from "./cat-file-reader.js";
import { corruptLooseObject, createTempRepository, testGitEnv } from "./temp-repository.js";

const readers: CatFileReader[] = [];
function open(dir: string, options: { maxSize?: number; readAheadBytes?: number } = {}): CatFileReader {
  const reader = createCatFileReader({ cwd: dir, env: testGitEnv(), ...options });
  readers.push(reader);
  return reader;
}
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.close()));
});

async function collect(iterable: AsyncIterable<CatFileObject>): Promise<CatFileObject[]> {
  const out: CatFileObject[] = [];
  for await (const object of iterable) out.push(object);
  return out;
}

describe("createCatFileReader", () => {
  it("reads blobs, commits and names git resolves, through one process", async () => {
    const repo = createTempRepository();
    const commit = repo.commit("first", { "a.txt": "alpha\n", "b.bin": Buffer.from([0, 1, 2, 10, 255]) });
    const reader = open(repo.dir);
    expect((await reader.read(repo.git("rev-parse", "HEAD:a.txt")))?.toString()).toBe("alpha\n");
    expect(await reader.read("HEAD:b.bin")).toEqual(Buffer.from([0, 1, 2, 10, 255]));
    const object = await reader.readObject(commit);
    expect(object).toMatchObject({ name: commit, oid: commit, type: "commit", outcome: "found" });
    expect(object.content?.toString()).toContain("author Ada Author <ada@example.com>");
    expect(object.size).toBe(object.content?.length);
    expect(reader.restarts).toBe(0);
  });

  it("answers missing and malformed names without failing the next reads", async () => {
    const repo = createTempRepository();
    repo.commit("first", { "a.txt": "alpha\n" });
    const reader = open(repo.dir);
    const [missing, bad, good] = await Promise.all([
      reader.readObject("0123456789012345678901234567890123456789"),
      reader.readObject("two\nlines"),
      reader.readObject("HEAD:a.txt"),
    ]);
    expect(missing).toMatchObject({ outcome: "missing", content: null });
    expect(bad).toMatchObject({ outcome: "missing", content: null });
    expect(good.content?.toString()).toBe("alpha\n");
    expect(await reader.read("0123456789012345678901234567890123456789")).toBeNull();
  });

  it("streams many objects in order, names produced while reading, with large ones discarded unbuffered", async () => {
    const repo = createTempRepository();
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`f${i}.txt`] = `file ${i}\n`.repeat(i % 7 === 0 ? 5000 : 1 + i);
    repo.commit("many", files);
    const ids = new Map(repo.git("ls-tree", "HEAD").split("\n").map((line) => [line.split("\t")[1]!, line.split(" ")[2]!.slice(0, 40)]));
    const names = Object.keys(files).map((path) => ids.get(path)!);
    async function* produce(): AsyncGenerator<string> {
      for (const name of names) {
        if (name.endsWith("0")) await new Promise((resolve) => setTimeout(resolve, 1));
        yield name;
      }
    }
    const reader = open(repo.dir, { maxSize: 20_000, readAheadBytes: 64 * 1024 });
    const objects = await collect(reader.readAll(produce(), { window: 16 }));
    expect(objects.map((o) => o.name)).toEqual(names);
    const paths = Object.keys(files);
    objects.forEach((object, i) => {
      const expected = Buffer.from(files[paths[i]!]!);
      if (expected.length > 20_000) {
        expect(object).toMatchObject({ outcome: "too-large", content: null, size: expected.length });
      } else {
        expect(object.outcome).toBe("found");
        expect(object.content?.equals(expected)).toBe(true);
      }
    });
  });

  it("stops early when the consumer breaks out, and the reader stays usable", async () => {
    const repo = createTempRepository();
    repo.commit("c", { "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" });
    const reader = open(repo.dir);
    for await (const object of reader.readAll(["HEAD:a.txt", "HEAD:b.txt", "HEAD:c.txt"])) {
      expect(object.content?.toString()).toBe("a\n");
      break;
    }
    expect((await reader.read("HEAD:c.txt"))?.toString()).toBe("c\n");
  });

  it("survives a corrupt object: that one is unreadable, git restarts for the rest", async () => {
    const repo = createTempRepository();
    repo.commit("c", { "good1.txt": "one\n", "bad.txt": "corrupt me\n".repeat(2000), "good2.txt": "two\n" });
    const bad = repo.git("rev-parse", "HEAD:bad.txt");
    corruptLooseObject(join(repo.dir, ".git", "objects"), bad);
    const reader = open(repo.dir);
    const names = ["HEAD:good1.txt", bad, "HEAD:good2.txt"];
    const objects = await collect(reader.readAll(names));
    expect(objects.map((o) => o.outcome)).toEqual(["found", "unreadable", "found"]);
    expect(objects[1]!.reason).toBeTruthy();
    expect(objects[2]!.content?.toString()).toBe("two\n");
    expect(reader.restarts).toBe(1);
  });

  it("reports objects a partial clone lacks as missing, without fetching them", async () => {
    const origin = createTempRepository();
    origin.commit("one", { "a.txt": "alpha\n" });
    origin.commit("two", { "b.txt": "beta\n" });
    origin.git("config", "uploadpack.allowFilter", "true");
    const blobA = origin.git("rev-parse", "HEAD:a.txt");
    const blobB = origin.git("rev-parse", "HEAD:b.txt");
    const clone = createTempRepository();
    rmSync(clone.dir, { recursive: true });
    execFileSync("git", ["clone", "-q", "--no-checkout", "--filter=blob:none", `file://${origin.dir}`, clone.dir], { env: testGitEnv() });
    const reader = open(clone.dir);
    const objects = await collect(reader.readAll([blobA, clone.git("rev-parse", "HEAD"), blobB]));
    expect(objects.map((o) => o.outcome)).toEqual(["missing", "found", "missing"]);
    // Still missing: nothing was downloaded.
    expect(() => execFileSync("git", ["cat-file", "-e", blobA], { cwd: clone.dir, env: testGitEnv({ GIT_NO_LAZY_FETCH: "1" }), stdio: "ignore" })).toThrow();
  });

  it("answers pending reads when closed", async () => {
    const repo = createTempRepository();
    repo.commit("c", { "a.txt": "a\n" });
    const reader = open(repo.dir);
    expect((await reader.read("HEAD:a.txt"))?.toString()).toBe("a\n");
    await reader.close();
    expect(await reader.readObject("HEAD:a.txt")).toMatchObject({ outcome: "unreadable" });
  });
});
