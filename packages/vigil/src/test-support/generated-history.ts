import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";

export interface GeneratedHistory {
  /** A bare repository. */
  path: string;
  /** Every secret planted, once each. */
  secrets: string[];
}

/**
 * A bare repository with `commits` commits on main, each adding `filesPerCommit` new files of about
 * `fileBytes` bytes of filler, and one GitHub token planted every `secretEvery` commits (in a file of
 * its own). Built with one `git fast-import` stream, so tens of thousands of blobs take a second or two.
 */
export function generateHistory(options: {
  commits: number;
  filesPerCommit: number;
  fileBytes?: number;
  secretEvery: number;
  seed: number;
}): GeneratedHistory {
  const random = new ExampleRandom(options.seed);
  const path = mkdtempSync(join(tmpdir(), "vigil-generated-")) + "/repo.git";
  const init = spawnSync("git", ["init", "-q", "--bare", "-b", "main", path]);
  if (init.status !== 0) throw new Error(`git init failed: ${init.stderr.toString()}`);
  const secrets: string[] = [];
  const parts: Buffer[] = [];
  const filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit\n".repeat(
    Math.max(1, Math.ceil((options.fileBytes ?? 1024) / 56)),
  );
  let time = 1_700_000_000;
  for (let c = 0; c < options.commits; c++) {
    const files: Array<[string, string]> = [];
    for (let f = 0; f < options.filesPerCommit; f++)
      files.push([`dir${c % 50}/c${c}/f${f}.txt`, `commit ${c} file ${f}\n${filler}`]);
    if (c % options.secretEvery === 0) {
      const secret = random.githubToken("ghp");
      secrets.push(secret);
      files.push([`config/c${c}.env`, `GITHUB_TOKEN=${secret}\n`]);
    }
    const message = `commit ${c}\n`;
    let text = `commit refs/heads/main\ncommitter Dev <dev@example.com> ${time++} +0000\ndata ${Buffer.byteLength(message)}\n${message}`;
    for (const [file, content] of files)
      text += `M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    parts.push(Buffer.from(text + "\n"));
  }
  parts.push(Buffer.from("done\n"));
  const imported = spawnSync("git", ["-C", path, "fast-import", "--quiet", "--done"], {
    input: Buffer.concat(parts),
    maxBuffer: 1 << 30,
  });
  if (imported.status !== 0) throw new Error(`git fast-import failed: ${imported.stderr.toString()}`);
  return { path, secrets };
}
