import { randomBytes } from "node:crypto";

/** A structurally valid PyPI token (a macaroon located at pypi.org), synthesised at test time; never a live one. */
export function synthesisePypiToken(): string {
  const alnum = (n: number): string =>
    randomBytes(n * 2)
      .toString("base64")
      .replace(/[^A-Za-z0-9]/g, "")
      .padEnd(n, "x")
      .slice(0, n);
  const host = "pypi.org";
  const body = Buffer.concat([
    Buffer.from([0x02, 0x01, host.length]),
    Buffer.from(host, "latin1"),
    Buffer.from([0x02, 0x01, 0x24]),
    Buffer.from(alnum(36), "latin1"),
    Buffer.from([0x00, 0x00, 0x06, 0x20]),
    Buffer.from(alnum(32), "latin1"),
  ]);
  return `pypi-${body.toString("base64url")}`;
}

/** GitHub-shaped webhook payload pieces for a repository on a forge at `https://forge.test`. */
export function forgeRepository(fullName: string): Record<string, unknown> {
  return {
    id: 1,
    full_name: fullName,
    name: fullName.split("/")[1],
    private: false,
    html_url: `https://forge.test/${fullName}`,
  };
}

export function issueCommentPayload(
  fullName: string,
  action: "created" | "edited",
  commentId: number,
  body: string,
  from?: string,
): Record<string, unknown> {
  return {
    action,
    issue: {
      number: 7,
      title: "Upload fails",
      body: null,
      url: `https://forge.test/api/v3/repos/${fullName}/issues/7`,
      html_url: `https://forge.test/${fullName}/issues/7`,
    },
    comment: {
      id: commentId,
      body,
      url: `https://forge.test/api/v3/repos/${fullName}/issues/comments/${commentId}`,
      html_url: `https://forge.test/${fullName}/issues/7#issuecomment-${commentId}`,
    },
    ...(from !== undefined ? { changes: { body: { from } } } : {}),
    repository: forgeRepository(fullName),
    sender: { login: "dev" },
  };
}
