// Writes the labeled quality corpus: planted secrets in files of many kinds, plus files of realistic
// non-secrets, spread over project folders. Deterministic: the same seed writes the same bytes.
//
//   node bench/quality/generate.mjs [dir]     (default bench/.cache/quality)
//
// Output: <dir>/corpus/** (the files), <dir>/labels.json (every planted secret: file, type, the exact
// planted string, byte span and line; never commit it), <dir>/manifest.json (counts, problems).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NEGATIVES } from "./negatives.mjs";
import { CorpusRandom } from "./random.mjs";
import { KINDS, Planter, placements } from "./render.mjs";
import { SEEDS, plantedEntries } from "./secrets.mjs";

export const QUALITY_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", ".cache", "quality");
export const CORPUS_SEED = 20251;
/** Bumped whenever the generator's output changes. */
export const CORPUS_VERSION = 1;
const NEGATIVE_FILES = 400;

function weightedPick(rng, options) {
  const total = options.reduce((sum, o) => sum + (o.weight ?? 1), 0);
  let roll = rng.next() % total;
  for (const o of options) {
    roll -= o.weight ?? 1;
    if (roll < 0) return o;
  }
  return options[options.length - 1];
}

/** Builds the corpus in memory: { files: [{ path, content }], labels, problems }. */
export function buildCorpus(seed = CORPUS_SEED) {
  const rng = new CorpusRandom(seed);
  const { entries, problems } = plantedEntries();

  // Group the entries into files: each kind of file fills up with 1-4 secrets (key files hold one).
  const groups = [];
  const open = new Map();
  for (const entry of rng.shuffle(entries)) {
    const options = placements(entry);
    if (options.length === 0) {
      problems.push(`${entry.type}: no way to plant example ${entry.example}`);
      continue;
    }
    const choice = weightedPick(rng, options);
    const kind = rng.pick(choice.kinds);
    let group = open.get(kind);
    if (!group) {
      group = { kind, items: [], capacity: KINDS[kind].single ? 1 : rng.int(1, 4) };
      open.set(kind, group);
    }
    group.items.push({ entry, form: choice.form });
    if (group.items.length >= group.capacity) {
      groups.push(group);
      open.delete(kind);
    }
  }
  groups.push(...open.values());

  // Each file goes to the first project folder where its name is free: projects mix kinds like real repos.
  const used = new Set();
  const place = (name) => {
    for (let p = 0; ; p++) {
      const path = `project-${String(p).padStart(3, "0")}/${name}`;
      if (!used.has(path)) {
        used.add(path);
        return path;
      }
    }
  };

  const files = [];
  const labels = [];
  for (const group of groups) {
    const kind = KINDS[group.kind];
    const name = kind.file(rng, group.items);
    const path = place(name);
    const planter = new Planter();
    const text = kind.render(rng, group.items, planter, name);
    const { content, labels: own } = planter.finish(path, text);
    files.push({ path, content, kind: group.kind });
    labels.push(...own);
  }
  for (let i = 0; i < NEGATIVE_FILES; i++) {
    const { file, content } = NEGATIVES[i % NEGATIVES.length](rng);
    files.push({ path: place(file), content, kind: "negative" });
  }
  return { files, labels, problems, entries: entries.length };
}

/** Writes the corpus under `dir`; returns its manifest. */
export function writeCorpus(dir = QUALITY_DIR, seed = CORPUS_SEED) {
  const { files, labels, problems, entries } = buildCorpus(seed);
  const corpusDir = join(dir, "corpus");
  rmSync(corpusDir, { recursive: true, force: true });
  let bytes = 0;
  const kinds = {};
  for (const f of files) {
    const target = join(corpusDir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content);
    bytes += Buffer.byteLength(f.content);
    kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
  }
  const manifest = {
    version: CORPUS_VERSION,
    seed,
    exampleSeeds: SEEDS,
    files: files.length,
    bytes,
    planted: labels.length,
    entries,
    kinds,
    problems,
  };
  writeFileSync(join(dir, "labels.json"), JSON.stringify(labels, null, 1));
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return { ...manifest, dir: corpusDir, labels };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = writeCorpus(process.argv[2] ?? QUALITY_DIR);
  console.log(
    `${manifest.files} files, ${(manifest.bytes / 1e6).toFixed(2)} MB, ${manifest.planted} planted secrets in ${manifest.dir}`,
  );
  for (const p of manifest.problems) console.log(`  problem: ${p}`);
}
