import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export interface PrebuiltMirror {
  /** Environment for `npm install` that points re2's and better-sqlite3's install scripts here. */
  env: Record<string, string>;
  /** The paths the install scripts fetched, in order. */
  requests: string[];
  close(): Promise<void>;
}

function packageDir(workspaceRoot: string, name: string): { dir: string; version: string } {
  const dir = join(workspaceRoot, "node_modules", name);
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  return { dir, version };
}

/**
 * A local download mirror for the prebuilt binaries of the native dependencies, served in the
 * layouts their install scripts fetch from GitHub releases (re2: install-artifact-from-github with
 * RE2_DOWNLOAD_MIRROR; better-sqlite3: prebuild-install with npm_config_better_sqlite3_binary_host),
 * made from the binaries already built in the workspace's node_modules. A user's install downloads
 * the same files from GitHub; this machine cannot reach GitHub, and compiling re2 takes minutes.
 */
export async function startPrebuiltMirror(workspaceRoot: string): Promise<PrebuiltMirror> {
  const re2 = packageDir(workspaceRoot, "re2");
  const sqlite = packageDir(workspaceRoot, "better-sqlite3");
  const re2Binary = gzipSync(readFileSync(join(re2.dir, "build", "Release", "re2.node")));
  const tar = spawnSync("tar", ["-czf", "-", "build/Release/better_sqlite3.node"], {
    cwd: sqlite.dir,
    maxBuffer: 1 << 30,
  });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
  const sqliteArchive = tar.stdout;
  const abi = process.versions.modules;
  const sqliteName = `better-sqlite3-v${sqlite.version}-node-v${abi}-${process.platform}-${process.arch}.tar.gz`;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://mirror").pathname;
    requests.push(path);
    if (path === `/uhop/node-re2/releases/download/${re2.version}/${process.platform}-${process.arch}-${abi}.gz`) {
      res.writeHead(200, { "content-type": "application/gzip" }).end(re2Binary);
    } else if (path === `/v${sqlite.version}/${sqliteName}`) {
      res.writeHead(200, { "content-type": "application/gzip" }).end(sqliteArchive);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: { RE2_DOWNLOAD_MIRROR: url, npm_config_better_sqlite3_binary_host: url },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The workspace root (the directory with the root package.json), from this file's place. */
export const WORKSPACE_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
