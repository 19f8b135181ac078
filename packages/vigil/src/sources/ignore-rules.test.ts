import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import ignore from "ignore";
import { describe, expect, it } from "vitest";
import { walkFiles } from "./file-walker.js";
import { compileIgnoreRules, lineRegex } from "./ignore-rules.js";

/** Lines compiled by `compileIgnoreRules` itself (each form it handles). */
const HANDLED = [
  "temp",
  "bundle.js",
  ".DS_Store",
  "*.log",
  "*.log/",
  "*bundle-update.js",
  "a*b",
  "*a*",
  ".env.*.local",
  "x.",
  "c++",
  "name@2~x",
  "vendor/",
  "/vendor/",
  "/node_modules",
  "records.json/node_modules",
  "src/",
  "/test/js",
  "/test/fixtures/temp-*",
  "/test/**/dev-defaults.webpack.lock",
  "/test/**/generated/**",
  "/examples/**/dist",
  "/examples/nodejs-addons/build/**",
  "/assembly/**/*.wat",
  "Tests/Fixtures/var/",
  "/Resources/views/Script/Mermaid/repo-*",
  "a/b*/c",
  "/a/*.js",
  "a/**/b/",
  "a/**",
  "a/*b",
];

/** Lines left to the `ignore` package (with the rest of their file). */
const LEFT = [
  "!keep.log",
  "\\#name",
  "a?c",
  "[ab].txt",
  "trailing ",
  " leading",
  "*",
  "a/*",
  "**",
  "**/a",
  "**/foo/bar",
  "a/**/",
  "a/**/**/b",
  "a//b",
  "a/./b",
  "..",
  "/",
  "a***b",
  "\uFEFFname",
];

/** Every path up to three segments deep from `words`, as a file and as a directory (trailing `/`). */
function paths(words: string[]): string[] {
  const out: string[] = [];
  const grow = (prefix: string, depth: number) => {
    for (const word of words) {
      const path = prefix + word;
      out.push(path, path + "/");
      if (depth < 3) grow(path + "/", depth + 1);
    }
  };
  grow("", 1);
  return out;
}

/** Words a line's matches are made of: its literal pieces, changed case, longer, and others. */
function wordsFor(text: string): string[] {
  const pieces = new Set<string>(["a", "b", "x", "generated", "dist", "Foo.LOG", ".log", "temp-1", "y.wat"]);
  for (const line of text.split("\n")) {
    for (const segment of line.split("/")) {
      if (segment === "" || segment === "**") continue;
      const literal = segment.replace(/^[!\\#]/, "").replace(/[*?[\]]/g, "");
      if (literal === "" || /^\.+$/.test(literal)) continue; // no such name in a walk
      pieces.add(literal);
      pieces.add(literal.toUpperCase());
      pieces.add("x" + literal);
      pieces.add(literal + "x");
      pieces.add(segment.replace(/\*/g, "q"));
    }
  }
  return [...pieces];
}

/**
 * The walk's terms: a path is asked about only when none of its parent directories is ignored; there
 * the compiled rules must answer what the `ignore` package answers.
 */
function expectSameAsIgnore(text: string): number {
  const reference = ignore().add(text);
  const compiled = compileIgnoreRules(text);
  let compared = 0;
  for (const path of paths(wordsFor(text))) {
    const parts = path.split("/").filter(Boolean);
    let parentIgnored = false;
    for (let i = 1; i < parts.length && !parentIgnored; i++) {
      parentIgnored = reference.ignores(parts.slice(0, i).join("/") + "/");
    }
    if (parentIgnored) continue;
    const want = reference.ignores(path);
    if (compiled.ignores(path) !== want) throw new Error(`${JSON.stringify(text)} on ${path}: ignore says ${want}`);
    compared++;
  }
  return compared;
}

describe("compileIgnoreRules", () => {
  it("compiles the forms it handles itself and leaves the others to the ignore package", () => {
    for (const line of HANDLED) expect(lineRegex(line), line).toBeDefined();
    for (const line of LEFT) expect(lineRegex(line), line).toBeUndefined();
  });

  it.each(HANDLED)("answers what the ignore package answers for %s", (line) => {
    expect(expectSameAsIgnore(line)).toBeGreaterThan(100);
  });

  it.each(LEFT)("answers what the ignore package answers for %s (left to it)", (line) => {
    expect(expectSameAsIgnore(line)).toBeGreaterThan(0);
  });

  it("answers for whole files: comments, blank lines, CRLF, a negation among handled lines", () => {
    const webpack = [
      "/node_modules",
      "/test/js",
      "/test/fixtures/temp-*",
      "/test/**/generated/**",
      "/examples/**/dist",
      "/assembly/**/*.wasm",
      ".DS_Store",
      "*.log",
      "# Local environment files",
      ".env.*.local",
      "",
      "dist/",
    ].join("\n");
    const symfony = "vendor/\r\ncomposer.lock\r\nphpunit.xml\r\n/packages.json\r\n";
    for (const text of [webpack, symfony, "*.log\n!keep.log\n", "# only a comment\n\n", "vendor/\n/a?c\n"]) {
      expect(expectSameAsIgnore(text), text).toBeGreaterThan(100);
    }
  });

  it("ignores nothing for a file of comments and blank lines", () => {
    const rules = compileIgnoreRules("# nothing\n\n");
    expect(rules.ignores("a")).toBe(false);
    expect(rules.ignores("a/")).toBe(false);
  });

  it("is case-insensitive like the ignore package's default, and anchors lines with a slash", () => {
    const rules = compileIgnoreRules("/Build\n*.LOG\nvendor/\n");
    expect(rules.ignores("build/")).toBe(true);
    expect(rules.ignores("src/build/")).toBe(false);
    expect(rules.ignores("deep/x.log")).toBe(true);
    expect(rules.ignores("deep/vendor/")).toBe(true);
    expect(rules.ignores("deep/vendor")).toBe(false);
  });
});

describe("the walk with compiled ignore files", () => {
  it("honours nested files, handled and left to the ignore package, as git would", () => {
    const root = mkdtempSync(join(tmpdir(), "vigil-ignore-"));
    try {
      const files: Record<string, string> = {
        // Left to the ignore package (a negation): *.log except keep.log, at any depth.
        ".gitignore": "*.log\n!keep.log\n/build/\n",
        "a.log": "",
        "keep.log": "",
        "build/out.js": "",
        "src/build/kept.js": "",
        // Compiled here: anchored, `**`, `*.ext`, a directory-only line.
        "test/.gitignore": "/fixtures/temp-*\n/**/generated/**\n*.tmp\ncache/\n",
        "test/fixtures/temp-1/x.js": "",
        "test/fixtures/keep/x.js": "",
        "test/deep/generated/x.js": "",
        "test/deep/generated.js": "",
        "test/deep/Y.TMP": "",
        "test/deep/cache/x.js": "",
        "test/deep/cache": "",
        "test/deep/keep.log": "",
        "test/deep/other.log": "",
        "test/src/fixtures/temp-2/x.js": "",
      };
      for (const [path, content] of Object.entries(files)) {
        const abs = join(root, path);
        if (path === "test/deep/cache") continue; // a directory above; a file named so comes next
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, content);
      }
      writeFileSync(join(root, "test/src/cache"), "");
      const listed = walkFiles([root])
        .files.map((f) => relative(root, f.absolutePath).split("\\").join("/"))
        .sort();
      expect(listed).toEqual([
        ".gitignore",
        "keep.log",
        "src/build/kept.js",
        "test/.gitignore",
        "test/deep/generated.js",
        "test/deep/keep.log",
        "test/fixtures/keep/x.js",
        "test/src/cache",
        "test/src/fixtures/temp-2/x.js",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
