/** Who made a commit and when, as GitHub's commit location reports it. Dates are ISO 8601 with the commit's own offset (git's `%aI`). */
export interface CommitInfo {
  authorName: string;
  authorEmail: string;
  authorDate: string;
  committerName: string;
  committerEmail: string;
  committerDate: string;
}

const IDENTITY = /^(.*?) ?<([^>]*)> (-?\d+) ([+-])(\d\d)(\d\d)$/;

/** Reads the author and committer of a raw commit object (the headers before the first blank line). */
export function parseCommitObject(content: Uint8Array): CommitInfo {
  const buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  let headerEnd = buffer.indexOf("\n\n");
  if (headerEnd < 0) headerEnd = buffer.length;
  const info: CommitInfo = { authorName: "", authorEmail: "", authorDate: "", committerName: "", committerEmail: "", committerDate: "" };
  for (const line of buffer.toString("utf8", 0, headerEnd).split("\n")) {
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    if (key !== "author" && key !== "committer") continue;
    const match = IDENTITY.exec(line.slice(space + 1));
    if (!match) continue;
    const date = isoDate(Number(match[3]), match[4]!, match[5]!, match[6]!);
    if (key === "author") {
      info.authorName = match[1]!;
      info.authorEmail = match[2]!;
      info.authorDate = date;
    } else {
      info.committerName = match[1]!;
      info.committerEmail = match[2]!;
      info.committerDate = date;
    }
  }
  return info;
}

/** `2024-01-02T03:04:05+02:00`, like git's strict ISO format, from seconds since the epoch and an offset. */
export function isoDate(seconds: number, sign: string, hours: string, minutes: string): string {
  const offset = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  const local = new Date((seconds + offset * 60) * 1000);
  if (Number.isNaN(local.getTime())) return "";
  return `${local.toISOString().slice(0, 19)}${sign}${hours}:${minutes}`;
}
