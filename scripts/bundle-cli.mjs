// Bundles the CLI's compiled modules (packages/vigil/dist, with the engine and partner packages)
// into packages/vigil/dist/bundle/: `vigil scan` then loads a handful of files instead of ~290
// (the engine alone is 215 modules, most of its start-up spent in Node's ESM loader).
// Run by `npm run build` after tsc; bin/vigil.js uses the bundle when it is at least as new as
// the compiled modules, else the modules themselves (a `tsc -b` on its own leaves a stale bundle).
//
// Third-party packages stay external (resolved from node_modules as before: native modules,
// packages that load files of their own). `import.meta.url` in each bundled module is rewritten
// to the URL of that module's compiled file, so paths relative to it (package.json, bin/vigil.js,
// cli-progress through createRequire) resolve as they did.
import { build } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "packages", "vigil", "dist");
const outdir = join(dist, "bundle");
const quiet = process.argv.includes("--quiet");

const keepModuleUrls = {
  name: "keep-module-urls",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("vigil-secrets-")) return undefined;
      return { path: args.path, external: true };
    });
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const { readFile } = await import("node:fs/promises");
      const source = await readFile(args.path, "utf8");
      const data = asJsonFile(source, args.path);
      if (data !== undefined) return { contents: data, loader: "js" };
      if (!source.includes("import.meta.url")) return { contents: source, loader: "js" };
      const rel = relative(outdir, args.path).split(sep).join("/");
      return {
        contents: source.replaceAll("import.meta.url", `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
        loader: "js",
      };
    });
  },
};

/** JSON files written beside the bundle after esbuild has (re)created its directory: name → text. */
const jsonFiles = new Map();

/**
 * A module that only exports one JSON-shaped literal (the compiled rule documents, ~1 MB) becomes
 * \`JSON.parse\` of a JSON file written beside the bundle: V8 parses JSON several times faster than
 * the same object literal, and reading a file spares compiling a 1 MB string literal into the
 * chunk every command shares. Anything else: undefined.
 */
function asJsonFile(source, path) {
  const m = /^export const (\w+) = (\[[\s\S]*\]);\s*(?:\/\/# sourceMappingURL=\S*\s*)?$/.exec(source);
  if (!m || source.length < 100_000) return undefined;
  try {
    JSON.parse(m[2]);
  } catch {
    return undefined;
  }
  const name = `${relative(join(root, "packages"), path).replace(/\.js$/, "").split(sep).join("-")}.json`;
  jsonFiles.set(name, m[2]);
  return [
    `import { readFileSync } from "node:fs";`,
    `export const ${m[1]} = JSON.parse(readFileSync(new URL(${JSON.stringify(name)}, import.meta.url), "utf8"));`,
  ].join("\n");
}

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    main: join(dist, "cli", "main.js"),
    "pre-receive-main": join(dist, "cli", "pre-receive-main.js"),
    "scan-worker": join(dist, "scan", "scan-worker.js"),
    "pack-scan-worker": join(dist, "sources", "git", "pack", "pack-scan-worker.js"),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunk-[hash]",
  // Bundled code starts the bundled scan and pack scan workers (see scan/worker-url.ts).
  define: { VIGIL_BUNDLE: "true" },
  plugins: [keepModuleUrls],
  logLevel: quiet ? "error" : "warning",
  metafile: !quiet,
});
for (const [name, text] of jsonFiles) writeFileSync(join(outdir, name), text);
if (!quiet) {
  const outputs = Object.entries(result.metafile.outputs);
  const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
  const inputs = Object.keys(result.metafile.inputs).length;
  console.log(
    `bundle-cli: ${inputs} modules into ${outputs.length} files (${(bytes / 1e6).toFixed(1)} MB) in ${relative(root, outdir)}`,
  );
}
