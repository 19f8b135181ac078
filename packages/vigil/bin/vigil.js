#!/usr/bin/env node
// A reader that stops early (`vigil scan --help | head`, `vigil scan -f json | jq … | head`) is not
// an error: stop quietly, as Unix tools do.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

// `vigil pre-receive` runs on every push: it loads only its own modules, not the whole CLI.
const { main } = await import(process.argv[2] === "pre-receive" ? "../dist/cli/pre-receive-main.js" : "../dist/cli/main.js");

await main(process.argv);
