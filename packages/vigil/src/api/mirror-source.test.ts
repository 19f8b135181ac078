import { describe, expect, it } from "vitest";
import { mirrorSourceProblem } from "./mirror-source.js";

describe("mirror sources over the API", () => {
  const remote = [
    "https://github.com/acme/app.git",
    "https://git.example.com:8443/acme/app",
    "ssh://git@github.com/acme/app.git",
    "ssh://git@[::1]:2222/acme/app.git",
    "git@github.com:acme/app.git",
    "github.com:acme/app.git",
    "deploy@10.0.0.5:/srv/git/app.git",
    "https://user:pa55@git.example.com/acme/app.git",
  ];

  it.each(remote)("accepts the remote URL %s", (url) => {
    expect(mirrorSourceProblem(url, { allowHttp: false })).toBeNull();
  });

  const local = [
    "/var/lib/vigil/repos/other-org/secret.git",
    "./repos/other-org/secret.git",
    "../../other-org/secret.git",
    "repos/other-org/secret.git",
    "secret.git",
    "~/repos/x.git",
    ".",
    "file:///var/lib/vigil/repos/other-org/secret.git",
    "FILE:///etc",
    "ext::sh -c touch% /tmp/pwned",
    "ext::sh",
    "fd::0",
    "git://example.com/acme/app.git",
    "ftp://example.com/acme/app.git",
    "/dev/null",
  ];
  it.each(local)("refuses the local or unsupported source %s", (url) => {
    expect(mirrorSourceProblem(url, { allowHttp: true })).toMatch(/remote git URL|whitespace|names no repository/);
  });

  const options = [
    "-uhttps://x/y",
    "--upload-pack=touch /tmp/pwned",
    "--template=/tmp/x",
    "-oProxyCommand=touch /tmp/x",
    "ssh://-oProxyCommand=touch%20x/y",
    "ssh://-oProxyCommand=x@host/y",
    "-oProxyCommand=x@host:y",
    "git@-oProxyCommand=x:y",
    "git@host:-x",
  ];
  it.each(options)("refuses %s, which git could take as an option", (url) => {
    expect(mirrorSourceProblem(url, { allowHttp: true })).not.toBeNull();
  });

  it("refuses control characters and whitespace anywhere", () => {
    for (const c of ["\u0000", "\n", "\r", "\t", " ", "\u007f"])
      expect(mirrorSourceProblem(`https://example.com/a${c}b.git`, { allowHttp: true })).toMatch(
        /whitespace or control/,
      );
  });

  it("takes http:// only when the operator allows it", () => {
    expect(mirrorSourceProblem("http://git.internal/acme/app.git", { allowHttp: false })).toMatch(
      /--allow-http-mirrors/,
    );
    expect(mirrorSourceProblem("http://git.internal/acme/app.git", { allowHttp: true })).toBeNull();
  });
});
