import { describe, expect, it } from "vitest";
import { isoDate, parseCommitObject } from "./commit-info.js";
import { CommitLogParser } from "./commit-log.js";
import { ObjectIdIndex } from "./object-id-index.js";

const oid = (n: number, width = 40): string => n.toString(16).padStart(8, "0").repeat(8).slice(0, width);

describe("ObjectIdIndex", () => {
  it("numbers object ids in insertion order and finds them again, across growth", () => {
    const index = new ObjectIdIndex(4);
    const ids = Array.from({ length: 5000 }, (_, i) => oid(i * 2654435761));
    ids.forEach((id, i) => expect(index.add(id)).toBe(i));
    expect(index.size).toBe(5000);
    ids.forEach((id, i) => {
      expect(index.add(id)).toBe(i);
      expect(index.get(id)).toBe(i);
      expect(index.oid(i)).toBe(id);
    });
    expect(index.size).toBe(5000);
    expect(index.get(oid(7))).toBe(-1);
    expect(index.get(ids[3]!.toUpperCase())).toBe(3);
  });

  it("takes SHA-256 ids and refuses ids that are not full hex", () => {
    const index = new ObjectIdIndex();
    expect(index.add(oid(1, 64))).toBe(0);
    expect(index.oid(0)).toBe(oid(1, 64));
    expect(() => index.add(oid(1, 40))).toThrow(RangeError);
    expect(() => new ObjectIdIndex().add("xyz")).toThrow(RangeError);
    expect(() => new ObjectIdIndex().add(`${"g".repeat(40)}`)).toThrow(RangeError);
  });
});

describe("CommitLogParser", () => {
  const a = oid(0xa);
  const b = oid(0xb);
  const c = oid(0xc);
  const zero = "0".repeat(40);
  // What `git log --raw -c -z --format=%x01%H` prints: a root commit, a merge with a combined
  // entry, a commit deleting a file, a submodule; paths with a newline and a leading colon.
  const output = Buffer.from(
    [
      `\x01${a}`,
      `\n:000000 100644 ${zero} ${b} A`,
      "dir/new\nline.txt",
      `:000000 160000 ${zero} ${c} A`,
      "vendor/sub",
      `\x01${b}`,
      "",
      `::100644 100644 100644 ${a} ${b} ${c} MM`,
      ":odd",
      `\x01${c}`,
      `\n:100644 000000 ${b} ${zero} D`,
      "gone.txt",
      "",
    ].join("\0"),
  );

  function parse(chunks: Buffer[]): Array<[string, string, string?]> {
    const events: Array<[string, string, string?]> = [];
    const parser = new CommitLogParser({ commit: (id) => events.push(["commit", id]), blob: (id, path) => events.push(["blob", id, path]) });
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
    return events;
  }

  const expected = [["commit", a], ["blob", b, "dir/new\nline.txt"], ["commit", b], ["blob", c, ":odd"], ["commit", c]];

  it("reports commits and the blobs they introduce, skipping deletions and submodules", () => {
    expect(parse([output])).toEqual(expected);
  });

  it("gives the same events however the output is cut into chunks", () => {
    for (const size of [1, 2, 7, 41, 100]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < output.length; i += size) chunks.push(output.subarray(i, i + size));
      expect(parse(chunks)).toEqual(expected);
    }
  });
});

describe("parseCommitObject", () => {
  it("reads author and committer with git's strict ISO dates, past a signature header", () => {
    const raw = [
      `tree ${oid(1)}`,
      `parent ${oid(2)}`,
      "author Zoë Q. Public <zoe@example.com> 1704067200 +0530",
      "committer Build Bot <> 1704070800 -0800",
      "gpgsig -----BEGIN PGP SIGNATURE-----",
      " author Not Me <no@example.com> 1 +0000",
      " -----END PGP SIGNATURE-----",
      "",
      "author Also Not Me <message@example.com> 1 +0000",
    ].join("\n");
    expect(parseCommitObject(Buffer.from(raw))).toEqual({
      authorName: "Zoë Q. Public",
      authorEmail: "zoe@example.com",
      authorDate: "2024-01-01T05:30:00+05:30",
      committerName: "Build Bot",
      committerEmail: "",
      committerDate: "2023-12-31T17:00:00-08:00",
    });
    expect(isoDate(0, "+", "00", "00")).toBe("1970-01-01T00:00:00+00:00");
  });
});
