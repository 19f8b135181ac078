#!/usr/bin/env node
// A reader that stops early (`vigil scan --help | head`, `vigil scan -f json | jq … | head`) is not
// an error: stop quietly, as Unix tools do.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

// `vigil --version` answers from package.json without loading the CLI (the pattern catalog, the
// config schema, every command): as commander would print it, in a Node start-up's time.
if (process.argv.length === 3 && (process.argv[2] === "--version" || process.argv[2] === "-V")) {
  const { readFileSync } = await import("node:fs");
  process.stdout.write(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version + "\n");
  process.exit(0);
}

// The build bundles the CLI into dist/bundle/ (scripts/bundle-cli.mjs): a few files to load instead of
// ~290 modules. A `tsc -b` on its own (a workspace's edit-compile loop) leaves that bundle older than the
// compiled modules: then run those. An installed package has no .tsbuildinfo and always has the bundle.
const { statSync } = await import("node:fs");
const mtime = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundled = mtime("../dist/bundle/main.js");
const fresh =
  bundled !== undefined &&
  ["../dist/.tsbuildinfo", "../../engine/dist/.tsbuildinfo", "../../partner/dist/.tsbuildinfo"].every(
    (stamp) => (mtime(stamp) ?? 0) <= bundled,
  );
const dir = fresh ? "../dist/bundle/" : "../dist/cli/";

// `vigil pre-receive` runs on every push: it loads only its own modules, not the whole CLI.
const { main } = await import(dir + (process.argv[2] === "pre-receive" ? "pre-receive-main.js" : "main.js"));

await main(process.argv);
