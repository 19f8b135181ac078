#!/usr/bin/env node
// `vigil pre-receive` runs on every push: it loads only its own modules, not the whole CLI.
const { main } = await import(process.argv[2] === "pre-receive" ? "../dist/cli/pre-receive-main.js" : "../dist/cli/main.js");

await main(process.argv);
