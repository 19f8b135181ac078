/**
 * What kind of file a path is, as far as its name tells: test code and fixtures, documentation and
 * examples, vendored third-party code, or anything else ("code"). Only names are looked at, never
 * content, so the answer is the same in a work tree, in history and on a forge.
 *
 * The kinds only rank findings (generic matches in tests, examples and vendored files come last);
 * nothing is left out because of them, so a wrong guess costs an alert its place, not the alert.
 */
export type PathKind = "code" | "test" | "documentation" | "vendored";

export const PATH_KINDS: readonly PathKind[] = ["code", "test", "documentation", "vendored"];

// Directory names, compared lower-case, one path segment each.
const VENDORED_DIRS = new Set([
  "vendor",
  "vendors",
  "node_modules",
  "bower_components",
  "jspm_packages",
  "third_party",
  "third-party",
  "thirdparty",
  "3rdparty",
  "site-packages",
  "pods",
  "carthage",
]);
const TEST_DIRS = new Set([
  "test",
  "tests",
  "__tests__",
  "testing",
  "spec",
  "specs",
  "__specs__",
  "testdata",
  "test-data",
  "test_data",
  "fixture",
  "fixtures",
  "__fixtures__",
  "__mocks__",
  "mocks",
  "e2e",
  "testsuite",
  "testsuites",
]);
const DOCUMENTATION_DIRS = new Set([
  "doc",
  "docs",
  "documentation",
  "example",
  "examples",
  "sample",
  "samples",
  "demo",
  "demos",
  "tutorial",
  "tutorials",
  "guide",
  "guides",
  "man",
]);

/** Test files by their own name: Go, JS/TS, Python, PHP/Java/C#/Kotlin conventions, RSpec. */
const TEST_FILE =
  /(?:_test\.go|\.(?:test|spec)\.[cm]?[jt]sx?|^test_[^/]*\.py|_tests?\.py|^conftest\.py|(?:Test|Tests|TestCase|Spec)\.(?:php|java|kt|cs|scala|groovy|swift)|_spec\.rb|_test\.rb)$/;
/** Documentation by its own name: prose formats, and the `.example`/`.dist`/`.sample` copies that show what a config looks like. */
const DOCUMENTATION_FILE =
  /(?:\.(?:md|markdown|mdx|rst|adoc|asciidoc|textile|rdoc|pod)|^(?:readme|changelog|changes|upgrade|contributing|history)(?:[._-][^/]*)?|\.(?:example|sample|dist|template|tmpl)|[._-](?:example|sample)(?:\.[a-z0-9]+)?)$/i;

/** The kind of the file at `path` (forward or back slashes; relative or absolute): vendored if any directory says so, else test, else documentation, by a directory or the file's own name. */
export function pathKind(path: string): PathKind {
  const segments = path.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
  const name = segments.pop() ?? "";
  const dirs = segments.map((s) => s.toLowerCase());
  // Vendored code is someone else's, whatever it holds (their tests included).
  if (dirs.some((d) => VENDORED_DIRS.has(d))) return "vendored";
  if (TEST_FILE.test(name) || dirs.some((d) => TEST_DIRS.has(d) || /^tests?[_-]|[_-]tests?$/.test(d))) return "test";
  if (DOCUMENTATION_FILE.test(name) || dirs.some((d) => DOCUMENTATION_DIRS.has(d))) return "documentation";
  return "code";
}
