/** Defined (true) by the esbuild bundle of the CLI (scripts/bundle-cli.mjs); absent in the compiled modules. */
declare const VIGIL_BUNDLE: boolean | undefined;

/**
 * The scan worker's script. The bundled CLI starts the bundled worker (a few files to load per thread
 * instead of the engine's 215 modules); the compiled modules start the compiled worker, so that a
 * stale bundle never runs beside fresh modules.
 */
export function scanWorkerUrl(): URL {
  const bundled = typeof VIGIL_BUNDLE !== "undefined" && VIGIL_BUNDLE;
  return bundled ? new URL("../bundle/scan-worker.js", import.meta.url) : new URL("./scan-worker.js", import.meta.url);
}

/** The pack scan worker's script (`sources/git/pack/pack-scan-worker.ts`), bundled or not as {@link scanWorkerUrl}. */
export function packScanWorkerUrl(): URL {
  const bundled = typeof VIGIL_BUNDLE !== "undefined" && VIGIL_BUNDLE;
  return bundled
    ? new URL("../bundle/pack-scan-worker.js", import.meta.url)
    : new URL("../sources/git/pack/pack-scan-worker.js", import.meta.url);
}
