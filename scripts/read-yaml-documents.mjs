// Reads a folder of YAML documents for the build's compilers (rules, validity checks): one reader, so
// both report a file that is not YAML, or that its checker refuses, the same way.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";

/**
 * Every `.yaml`/`.yml` file in `dir`, sorted by name, parsed and passed through `check` (which returns
 * problems as `path: message`); `accept(name, doc)` takes each document that passed (its `name` relative
 * to `root`) and returns its own problems (an id used twice), kept in file order with the rest.
 * Returns every problem as `file: path: message`.
 */
export function readYamlDocuments(dir, root, check, accept) {
  const problems = [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort();
  for (const file of files) {
    const name = relative(root, join(dir, file));
    let doc;
    try {
      doc = parse(readFileSync(join(dir, file), "utf8"), { prettyErrors: true });
    } catch (error) {
      problems.push(`${name}: not YAML: ${error.message.split("\n")[0]}`);
      continue;
    }
    const found = check(doc);
    if (found.length > 0) {
      for (const p of found) problems.push(`${name}: ${p}`);
      continue;
    }
    problems.push(...accept(name, doc));
  }
  return problems;
}
