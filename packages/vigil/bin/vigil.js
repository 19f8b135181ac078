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

// `vigil pre-receive` runs on every push: it loads only its own modules, not the whole CLI.
const { main } = await import(
  process.argv[2] === "pre-receive" ? "../dist/cli/pre-receive-main.js" : "../dist/cli/main.js"
);

await main(process.argv);
