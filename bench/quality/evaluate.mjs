// Matches findings to labels and sums them up per pattern family.
import { familyOf, sameOrPaired } from "./secrets.mjs";

const overlaps = (a, b) => a.start < b.end && b.start < a.end;

/**
 * `findingsByFile`: Map file -> [{ type, category, start, end, line, secret (masked), context, paired?: { start, end } }].
 * A finding matches a label when both sit in the same file, their spans overlap and the types are the
 * same or the two halves of a pair. A generic finding over a planted provider secret is found-but-generic.
 */
export function evaluate(labels, findingsByFile) {
  const labelsByFile = new Map();
  for (const l of labels) {
    if (!labelsByFile.has(l.file)) labelsByFile.set(l.file, []);
    labelsByFile.get(l.file).push({ ...l, status: "missed", foundAs: [], hits: 0 });
  }
  const findings = [];
  for (const [file, list] of findingsByFile) {
    const own = labelsByFile.get(file) ?? [];
    for (const f of list) {
      const spans = [{ start: f.start, end: f.end }, ...(f.paired ? [f.paired] : [])];
      let verdict = "false-alarm";
      for (const l of own) {
        const lspans = [{ start: l.start, end: l.end }, ...(l.paired ? [l.paired] : [])];
        if (!spans.some((s) => lspans.some((ls) => overlaps(s, ls)))) continue;
        if (sameOrPaired(f.type, l.type) || f.category === "generic") l.hits++;
        if (sameOrPaired(f.type, l.type)) {
          verdict = "found";
          l.status = "found";
        } else if (f.category === "generic") {
          if (verdict !== "found") verdict = "found-generic";
          if (l.status !== "found") l.status = "found-generic";
        } else {
          if (verdict === "false-alarm") verdict = "mistyped";
          l.foundAs.push(f.type);
        }
      }
      findings.push({ ...f, file, verdict, family: familyOf(f.type) });
    }
  }
  const all = [...labelsByFile.values()].flat();
  const families = new Map();
  const row = (name) => {
    if (!families.has(name))
      families.set(name, {
        family: name,
        planted: 0,
        found: 0,
        generic: 0,
        missed: 0,
        truePositives: 0,
        falseAlarms: 0,
      });
    return families.get(name);
  };
  for (const l of all) {
    const r = row(l.family);
    r.planted++;
    if (l.status === "found") r.found++;
    else if (l.status === "found-generic") r.generic++;
    else r.missed++;
  }
  for (const f of findings) {
    const r = row(f.family);
    if (f.verdict === "found" || f.verdict === "found-generic") r.truePositives++;
    else r.falseAlarms++;
  }
  const finish = (r) => ({
    ...r,
    recall: r.planted ? (r.found + r.generic) / r.planted : null,
    typedRecall: r.planted ? r.found / r.planted : null,
    falseAlarmRate: r.truePositives + r.falseAlarms ? r.falseAlarms / (r.truePositives + r.falseAlarms) : 0,
  });
  const rows = [...families.values()].map(finish).sort((a, b) => a.family.localeCompare(b.family, "en"));
  const total = finish(
    rows.reduce(
      (t, r) => {
        for (const k of ["planted", "found", "generic", "missed", "truePositives", "falseAlarms"]) t[k] += r[k];
        return t;
      },
      { family: "total", planted: 0, found: 0, generic: 0, missed: 0, truePositives: 0, falseAlarms: 0 },
    ),
  );
  return {
    rows,
    total,
    /** Secrets reported more than once (a pair's second half also as a generic secret): extra reports. */
    duplicates: all.reduce((n, l) => n + Math.max(0, l.hits - 1), 0),
    missed: all.filter((l) => l.status === "missed"),
    generic: all.filter((l) => l.status === "found-generic"),
    falseAlarms: findings.filter((f) => f.verdict === "false-alarm" || f.verdict === "mistyped"),
  };
}
