// Writes planted secrets into files of many kinds, each in the syntax and surroundings that kind of
// file really has. A Planter tracks every planted string so the label file can say exactly where it is.
import { nameWorks, patternById } from "./secrets.mjs";

const OPEN = "\u27e6";
const CLOSE = "\u27e7";
const MARKER = new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g");

/** Collects planted strings while a file is built, then resolves them to byte offsets and lines. */
export class Planter {
  #items = [];

  /**
   * Registers `text`, the exact bytes as they appear in the file, for `entry`; returns a marker to put
   * in the file's text in its place. `partnerOf`: the marker of the pair half this one belongs to.
   */
  plant(entry, text, { encoding = "plain", partnerOf } = {}) {
    const index = this.#items.push({ entry, text, encoding, partnerOf }) - 1;
    return `${OPEN}${index}${CLOSE}`;
  }

  /** Replaces the markers in `content`; returns the final text and one label per planted secret. */
  finish(file, content) {
    let out = "";
    let bytes = 0;
    let lines = 1;
    let last = 0;
    const spans = [];
    for (const m of content.matchAll(MARKER)) {
      const before = content.slice(last, m.index);
      out += before;
      bytes += Buffer.byteLength(before);
      lines += countNewlines(before);
      const item = this.#items[Number(m[1])];
      spans[Number(m[1])] = { start: bytes, end: bytes + Buffer.byteLength(item.text), line: lines };
      out += item.text;
      bytes += Buffer.byteLength(item.text);
      lines += countNewlines(item.text);
      last = m.index + m[0].length;
    }
    out += content.slice(last);
    const labels = [];
    const byMarker = new Map();
    this.#items.forEach((item, i) => {
      const span = spans[i];
      if (!span) throw new Error(`planted text ${i} for ${item.entry.type} never placed in ${file}`);
      if (item.partnerOf !== undefined) return;
      const label = {
        file,
        type: item.entry.type,
        family: item.entry.family,
        secret: item.text,
        ...(item.encoding !== "plain" ? { encoding: item.encoding, decoded: item.entry.token } : {}),
        ...span,
        source: `${item.entry.type} example ${item.entry.example}, seed ${item.entry.seed}`,
      };
      byMarker.set(i, label);
      labels.push(label);
    });
    this.#items.forEach((item, i) => {
      if (item.partnerOf === undefined) return;
      const main = byMarker.get(item.partnerOf);
      main.paired = { type: item.entry.paired.type, secret: item.text, ...spans[i] };
    });
    return { content: out, labels };
  }
}

function countNewlines(text) {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

const markerIndex = (marker) => Number(marker.slice(1, -1));

// ---------------------------------------------------------------------------------------------------
// Names

const GENERIC_NAMES = [
  "token",
  "api_key",
  "apiKey",
  "auth_token",
  "access_token",
  "secret_key",
  "API_TOKEN",
  "key",
  "credentials",
];

const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[-.]/g, "_");
const STYLES = {
  upper: (name) => snake(name).toUpperCase(),
  lower: (name) => snake(name).toLowerCase(),
  camel: (name) =>
    snake(name)
      .toLowerCase()
      .replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()),
  keep: (name) => name,
};

/**
 * The name a file of this kind stores the secret under: one of the entry's names (the ones real
 * configuration uses for that provider), or for tokens the catalog finds anywhere, sometimes a
 * generic one. A restyled name (`DD_API_KEY` as `ddApiKey`) is used only when the catalog still
 * finds the token under it, since context patterns name their variables.
 */
export function nameFor(rng, entry, style) {
  const base =
    entry.free && (entry.names.length === 0 || rng.chance(0.3)) ? rng.pick(GENERIC_NAMES) : rng.pick(entry.names);
  const styled = STYLES[style](base);
  if (entry.free || styled === base || nameWorks(entry, styled, entry.quoted)) return styled;
  return base;
}

function partnerName(rng, entry, style) {
  return STYLES[style](entry.paired.name ?? "client_secret");
}

const quote = (rng, entry, q = '"') => (entry.quoted || rng.chance(0.5) ? q : "");
const jsonEscape = (text) => JSON.stringify(text).slice(1, -1);
const indent = (text, prefix) =>
  text
    .split("\n")
    .map((l) => (l.length > 0 ? prefix + l : l))
    .join("\n");

// ---------------------------------------------------------------------------------------------------
// Filler: ordinary lines of each kind of file, with the non-secrets such files hold (hashes, ids).

function envFiller(rng) {
  return rng
    .shuffle([
      `NODE_ENV=${rng.pick(["production", "staging", "development"])}`,
      `PORT=${rng.int(3000, 9000)}`,
      `LOG_LEVEL=${rng.pick(["info", "debug", "warn"])}`,
      `APP_NAME=${rng.service()}`,
      `GIT_COMMIT=${rng.hex(40)}`,
      `BUILD_ID=${rng.uuid()}`,
      `DATABASE_POOL_SIZE=${rng.int(5, 40)}`,
      `SESSION_TTL_SECONDS=${rng.int(600, 86400)}`,
      `PASSWORD_MIN_LENGTH=${rng.int(8, 16)}`,
      `TOKEN_URL=https://auth.${rng.word()}.internal/oauth/token`,
      `REDIS_HOST=${rng.ip()}`,
      `FEATURE_FLAGS=${rng.word()},${rng.word()}`,
    ])
    .slice(0, rng.int(4, 9));
}

function yamlFiller(rng) {
  return [
    `app:`,
    `  name: ${rng.service()}`,
    `  port: ${rng.int(3000, 9000)}`,
    `  revision: ${rng.hex(40)}`,
    `logging:`,
    `  level: ${rng.pick(["info", "debug", "warn"])}`,
    `  format: json`,
    `cache:`,
    `  ttl: ${rng.int(30, 3600)}s`,
    `  key_prefix: "${rng.service()}:v${rng.int(1, 4)}"`,
    `  checksum: sha256:${rng.hex(64)}`,
  ];
}

const SECTION_NAMES = ["integrations", "providers", "credentials", "services", "external"];

// ---------------------------------------------------------------------------------------------------
// File kinds. Each takes the items (entry + form) planted in it and returns the file's text.

/** A key/value assignment of a planted token (and its pair's other half) in some syntax. */
function assignment(rng, planter, item, style, render) {
  const { entry } = item;
  const name = nameFor(rng, entry, style);
  const main = planter.plant(entry, item.text ?? entry.token, { encoding: item.encoding });
  const lines = [render(name, main, quote(rng, entry))];
  if (entry.paired) {
    const partner = planter.plant(entry, entry.paired.token, { partnerOf: markerIndex(main) });
    lines.push(render(partnerName(rng, entry, style), partner, quote(rng, entry)));
  }
  return lines;
}

const KINDS = {
  env: {
    file: (rng) => rng.pick([".env", ".env.production", ".env.local", "config/.env"]),
    render(rng, items, planter) {
      const lines = [`# ${rng.service()} service`, ...envFiller(rng)];
      for (const item of items) {
        lines.splice(
          rng.int(1, lines.length),
          0,
          ...assignment(rng, planter, item, "upper", (n, v, q) => `${n}=${q}${v}${q}`),
        );
      }
      return lines.join("\n") + "\n";
    },
  },
  yaml: {
    file: (rng) => rng.pick(["config.yaml", "config/application.yml", "settings.yaml", "values.yaml"]),
    render(rng, items, planter) {
      const lines = yamlFiller(rng);
      lines.push(`${rng.pick(SECTION_NAMES)}:`);
      for (const item of items) {
        lines.push(`  ${slug(patternById(item.entry.type).provider)}:`);
        lines.push(`    enabled: true`);
        lines.push(...assignment(rng, planter, item, "lower", (n, v, q) => `    ${n}: ${q}${v}${q}`));
      }
      lines.push(`metrics:`, `  endpoint: /metrics`, `  buckets: [0.1, 0.5, 1, 5]`);
      return lines.join("\n") + "\n";
    },
  },
  json: {
    file: (rng) => rng.pick(["settings.json", "config/default.json", "appsettings.json", "config.json"]),
    render(rng, items, planter) {
      const props = [];
      for (const item of items) {
        const escaped = { ...item, text: jsonEscape(item.text ?? item.entry.token) };
        props.push(...assignment(rng, planter, escaped, rng.pick(["lower", "camel"]), (n, v) => `    "${n}": "${v}"`));
      }
      return [
        "{",
        `  "name": "${rng.service()}",`,
        `  "version": "${rng.version()}",`,
        `  "requestIdHeader": "X-Request-Id",`,
        `  "instanceId": "${rng.uuid()}",`,
        `  "${rng.pick(SECTION_NAMES)}": {`,
        props.join(",\n"),
        "  },",
        `  "retry": { "attempts": ${rng.int(2, 6)}, "backoffMs": ${rng.int(100, 2000)} }`,
        "}",
        "",
      ].join("\n");
    },
  },
  py: {
    file: (rng) => rng.pick(["app.py", "settings.py", "scripts/sync.py", "src/client.py"]),
    render(rng, items, planter) {
      const top = [];
      for (const item of items) {
        if (item.form === "line") {
          top.push(lineText(planter, item));
          continue;
        }
        const style = rng.chance(0.5) ? "upper" : "lower";
        const form = item.entry.free && !item.entry.paired && rng.chance(0.3) ? "setdefault" : "assign";
        top.push(
          ...assignment(rng, planter, item, style, (n, v) =>
            form === "setdefault" ? `os.environ.setdefault("${STYLES.upper(n)}", "${v}")` : `${n} = "${v}"`,
          ),
        );
      }
      return [
        "import logging",
        "import os",
        "",
        "import requests",
        "",
        "log = logging.getLogger(__name__)",
        `BASE_URL = "https://api.${rng.word()}.io/v${rng.int(1, 3)}"`,
        `DEFAULT_TIMEOUT = ${rng.int(5, 60)}`,
        ...top,
        "",
        "",
        `def fetch_${rng.service()}(session, since):`,
        '    resp = session.get(f"{BASE_URL}/items", params={"since": since}, timeout=DEFAULT_TIMEOUT)',
        "    resp.raise_for_status()",
        '    log.info("fetched %d items", len(resp.json()))',
        "    return resp.json()",
        "",
      ].join("\n");
    },
  },
  js: {
    file: (rng) => rng.pick(["index.js", "src/config.js", "server.js", "lib/client.mjs"]),
    render(rng, items, planter) {
      const consts = [];
      const props = [];
      for (const item of items) {
        if (item.form === "line") {
          consts.push(lineText(planter, item));
        } else if (rng.chance(0.5)) {
          consts.push(...assignment(rng, planter, item, "upper", (n, v) => `const ${n} = "${v}";`));
        } else {
          props.push(...assignment(rng, planter, item, "camel", (n, v) => `  ${n}: '${v}',`));
        }
      }
      return [
        "'use strict';",
        "",
        "const express = require('express');",
        "const { createLogger } = require('./logger');",
        "",
        ...consts,
        "",
        "const config = {",
        `  port: Number(process.env.PORT) || ${rng.int(3000, 9000)},`,
        `  service: '${rng.service()}',`,
        ...props,
        "};",
        "",
        "const app = express();",
        "app.get('/healthz', (req, res) => res.json({ ok: true, commit: process.env.GIT_COMMIT }));",
        "app.listen(config.port, () => createLogger().info(`listening on ${config.port}`));",
        "",
        "module.exports = { app, config };",
        "",
      ].join("\n");
    },
  },
  java: {
    file: () => "src/main/java/com/acme/Main.java",
    render(rng, items, planter) {
      const fields = [];
      for (const item of items) {
        fields.push(
          ...assignment(rng, planter, item, "upper", (n, v) => `    private static final String ${n} = "${v}";`),
        );
      }
      return [
        `package com.acme.${rng.service()};`,
        "",
        "import java.net.http.HttpClient;",
        "import java.time.Duration;",
        "",
        "public final class Main {",
        ...fields,
        `    private static final Duration TIMEOUT = Duration.ofSeconds(${rng.int(5, 60)});`,
        "",
        "    public static void main(String[] args) throws Exception {",
        "        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();",
        '        System.out.println("started " + client.version());',
        "    }",
        "}",
        "",
      ].join("\n");
    },
  },
  go: {
    file: () => "main.go",
    render(rng, items, planter) {
      const consts = [];
      for (const item of items) consts.push(...assignment(rng, planter, item, "camel", (n, v) => `\t${n} = "${v}"`));
      return [
        "package main",
        "",
        "import (",
        '\t"log"',
        '\t"net/http"',
        '\t"time"',
        ")",
        "",
        "const (",
        ...consts,
        `\tlistenAddr = ":${rng.int(3000, 9000)}"`,
        ")",
        "",
        "func main() {",
        "\tsrv := &http.Server{Addr: listenAddr, ReadTimeout: 10 * time.Second}",
        "\tlog.Fatal(srv.ListenAndServe())",
        "}",
        "",
      ].join("\n");
    },
  },
  rb: {
    file: (rng) => rng.pick(["config.rb", "config/initializers/services.rb"]),
    render(rng, items, planter) {
      const lines = [];
      for (const item of items)
        lines.push(...assignment(rng, planter, item, "lower", (n, v) => `  config.x.${n} = "${v}"`));
      return [
        "Rails.application.configure do",
        "  config.cache_classes = true",
        `  config.log_level = :${rng.pick(["info", "debug"])}`,
        ...lines,
        `  config.active_job.queue_adapter = :sidekiq`,
        "end",
        "",
      ].join("\n");
    },
  },
  sh: {
    file: (rng) => rng.pick(["deploy.sh", "scripts/release.sh", "bin/setup"]),
    render(rng, items, planter) {
      const lines = [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        "",
        `APP=${rng.service()}`,
        `VERSION="$(git rev-parse --short HEAD)"`,
      ];
      for (const item of items) {
        if (item.form === "line") lines.push(shellLine(planter, item));
        else if (item.form === "header") lines.push(curlHeader(rng, planter, item));
        else lines.push(...assignment(rng, planter, item, "upper", (n, v, q) => `export ${n}=${q}${v}${q}`));
      }
      lines.push(
        'docker build -t "registry.internal/${APP}:${VERSION}" .',
        'docker push "registry.internal/${APP}:${VERSION}"',
        "",
      );
      return lines.join("\n");
    },
  },
  history: {
    file: () => ".bash_history",
    render(rng, items, planter) {
      const lines = rng
        .shuffle([
          "ls -la",
          "git status",
          "git pull --rebase",
          "npm test",
          "cd ~/src/app",
          "kubectl get pods -n prod",
          "vim .env",
        ])
        .slice(0, 4);
      for (const item of items) {
        let line;
        if (item.form === "line") line = shellLine(planter, item);
        else if (item.form === "header") line = curlHeader(rng, planter, item);
        else line = assignment(rng, planter, item, "upper", (n, v, q) => `export ${n}=${q}${v}${q}`).join("\n");
        lines.splice(rng.int(0, lines.length), 0, line);
      }
      lines.push("history | tail", "");
      return lines.join("\n");
    },
  },
  ipynb: {
    file: (rng) => rng.pick(["notebook.ipynb", "analysis/explore.ipynb"]),
    render(rng, items, planter) {
      const cells = [{ cell_type: "markdown", metadata: {}, source: ["# Exploring the ", `${rng.service()} data\n`] }];
      for (const item of items) {
        const escaped = { ...item, text: jsonEscape(item.text ?? item.entry.token) };
        if (item.form === "line") {
          cells.push(codeCell([lineTextEscaped(planter, item)], []));
        } else if (rng.chance(0.4) && !item.entry.paired && !item.entry.quoted) {
          // The secret only in a cell's output: `!env` printed it.
          const name = nameFor(rng, item.entry, "upper");
          const v = planter.plant(item.entry, escaped.text);
          cells.push(
            codeCell([`!env | grep ${name}`], [{ name: "stdout", output_type: "stream", text: [`${name}=${v}\n`] }]),
          );
        } else {
          const source = assignment(rng, planter, escaped, "upper", (n, v) => `os.environ["${n}"] = "${v}"\n`);
          cells.push(codeCell(["import os\n", ...source], []));
        }
      }
      cells.push(
        codeCell(
          ["import pandas as pd\n", `df = pd.read_csv("${rng.service()}.csv")\n`, "df.head()"],
          [
            {
              data: { "text/plain": [`   id  amount\n0  ${rng.int(1, 99)}  ${rng.int(1, 999)}.00`] },
              execution_count: 3,
              metadata: {},
              output_type: "execute_result",
            },
          ],
        ),
      );
      // The markers are plain text, so they survive JSON.stringify; the planted text is already JSON-escaped.
      return (
        JSON.stringify(
          {
            cells,
            metadata: { kernelspec: { name: "python3", display_name: "Python 3" } },
            nbformat: 4,
            nbformat_minor: 5,
          },
          null,
          1,
        ) + "\n"
      );
    },
  },
  log: {
    file: (rng) => rng.pick(["app.log", "logs/server.log", "build.log"]),
    render(rng, items, planter) {
      const stamp = () => `${rng.date()}T${rng.time()}.${rng.int(100, 999)}Z`;
      const lines = [];
      for (let i = 0; i < rng.int(6, 14); i++) {
        lines.push(
          rng.pick([
            `${stamp()} INFO  [http] GET /api/orders/${rng.int(1000, 9999)} 200 ${rng.int(2, 300)}ms request_id=${rng.uuid()}`,
            `${stamp()} INFO  [worker] job ${rng.hex(24)} done in ${rng.int(10, 900)}ms`,
            `${stamp()} WARN  [db] slow query (${rng.int(500, 3000)}ms) trace_id=${rng.hex(32)} span_id=${rng.hex(16)}`,
            `${stamp()} INFO  [deploy] revision ${rng.hex(40)} is live`,
            `${stamp()} DEBUG [cache] miss key=${rng.service()}:${rng.hex(16)}`,
          ]),
        );
      }
      for (const item of items) {
        let line;
        if (item.form === "line") line = `${stamp()} DEBUG [exec] ${lineText(planter, item)}`;
        else if (item.form === "header")
          line = `${stamp()} DEBUG [http] > Authorization: Bearer ${planter.plant(item.entry, item.entry.token)}`;
        else
          line = assignment(
            rng,
            planter,
            item,
            "upper",
            (n, v, q) => `${stamp()} DEBUG [config] env ${n}=${q}${v}${q}`,
          ).join("\n");
        lines.splice(rng.int(0, lines.length), 0, line);
      }
      return lines.join("\n") + "\n";
    },
  },
  compose: {
    file: () => "docker-compose.yml",
    render(rng, items, planter) {
      const list = rng.chance(0.5);
      const env = [];
      for (const item of items) {
        env.push(
          ...assignment(rng, planter, item, "upper", (n, v, q) =>
            list ? `      - ${n}=${q}${v}${q}` : `      ${n}: ${q}${v}${q}`,
          ),
        );
      }
      const svc = rng.service();
      return [
        "services:",
        `  ${svc}:`,
        `    image: registry.internal/${svc}:${rng.version()}`,
        "    restart: unless-stopped",
        "    ports:",
        `      - "${rng.int(3000, 9000)}:8080"`,
        "    environment:",
        list ? `      - LOG_LEVEL=info` : `      LOG_LEVEL: info`,
        ...env,
        "  redis:",
        "    image: redis:7-alpine",
        "",
      ].join("\n");
    },
  },
  k8s: {
    file: (rng) => rng.pick(["k8s/secret.yaml", "deploy/secrets.yaml", "helm/templates/secret.yaml"]),
    render(rng, items, planter) {
      const stringData = [];
      const data = [];
      for (const item of items) {
        if (item.form === "b64") {
          const encoded = Buffer.from(item.entry.token).toString("base64");
          data.push(
            ...assignment(
              rng,
              planter,
              { ...item, text: encoded, encoding: "base64" },
              "upper",
              (n, v) => `  ${n}: ${v}`,
            ),
          );
        } else {
          stringData.push(...assignment(rng, planter, item, "upper", (n, v, q) => `  ${n}: ${q}${v}${q}`));
        }
      }
      const svc = rng.service();
      return [
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        `  name: ${svc}-credentials`,
        `  namespace: ${rng.pick(["prod", "staging", "default"])}`,
        "  labels:",
        `    app.kubernetes.io/name: ${svc}`,
        "type: Opaque",
        ...(data.length ? ["data:", ...data] : []),
        ...(stringData.length ? ["stringData:", ...stringData] : []),
        "",
      ].join("\n");
    },
  },
  tf: {
    file: (rng) => rng.pick(["main.tf", "infra/providers.tf", "terraform.tfvars"]),
    render(rng, items, planter) {
      const lines = [
        `provider "aws" {`,
        `  region = "${rng.pick(["eu-west-1", "us-east-1", "ap-southeast-2"])}"`,
        "}",
        "",
      ];
      for (const item of items) {
        lines.push(`module "${slug(patternById(item.entry.type).provider)}" {`, `  source  = "./modules/integration"`);
        lines.push(...assignment(rng, planter, item, "lower", (n, v) => `  ${n} = "${v}"`));
        lines.push("}", "");
      }
      return lines.join("\n");
    },
  },
  md: {
    file: (rng) => rng.pick(["README.md", "docs/setup.md", "CONTRIBUTING.md"]),
    render(rng, items, planter) {
      const lines = [`# ${rng.service()}`, "", "Internal service. To run it locally:", ""];
      for (const item of items) {
        lines.push("```bash");
        if (item.form === "line") lines.push(shellLine(planter, item));
        else if (item.form === "header") lines.push(curlHeader(rng, planter, item));
        else lines.push(...assignment(rng, planter, item, "upper", (n, v, q) => `export ${n}=${q}${v}${q}`));
        lines.push("```", "");
      }
      lines.push("Then `npm start` and open http://localhost:3000.", "");
      return lines.join("\n");
    },
  },
  npmrc: {
    file: () => ".npmrc",
    render(rng, items, planter) {
      const lines = ["registry=https://registry.npmjs.org/", "save-exact=true"];
      for (const item of items)
        lines.push(`${npmRegistry(item.entry)}:_authToken=${planter.plant(item.entry, item.entry.token)}`);
      lines.push("always-auth=true", "");
      return lines.join("\n");
    },
  },
  pypirc: {
    file: () => ".pypirc",
    render(rng, items, planter) {
      const lines = ["[distutils]", "index-servers =", "    pypi", "    internal", ""];
      for (const item of items) {
        const pypi = item.entry.type === "pypi_api_token";
        lines.push(pypi ? "[pypi]" : "[internal]");
        if (!pypi) lines.push(`repository = https://${rng.word()}.jfrog.io/artifactory/api/pypi/pypi-local`);
        lines.push(
          pypi ? "username = __token__" : "username = ci-bot",
          `password = ${planter.plant(item.entry, item.entry.token)}`,
          "",
        );
      }
      return lines.join("\n");
    },
  },
  gitcreds: {
    file: (rng) => rng.pick([".git-credentials", "gitconfig"]),
    render(rng, items, planter, file) {
      if (file === ".git-credentials") {
        return (
          items
            .map(
              (item) =>
                `https://${gitUser(item.entry)}:${planter.plant(item.entry, item.entry.token)}@${gitHost(item.entry)}`,
            )
            .join("\n") + "\n"
        );
      }
      const lines = ["[core]", "\trepositoryformatversion = 0", "\tbare = false"];
      for (const item of items) {
        lines.push(`[remote "${rng.word()}"]`);
        lines.push(
          `\turl = https://${gitUser(item.entry)}:${planter.plant(item.entry, item.entry.token)}@${gitHost(item.entry)}/acme/${rng.service()}.git`,
        );
        lines.push(`\tfetch = +refs/heads/*:refs/remotes/origin/*`);
      }
      return lines.join("\n") + "\n";
    },
  },
  // One secret per file: key files, service-account files, config snippets.
  pemfile: {
    file: (rng) => rng.pick(["id_rsa", "certs/server.key", "deploy_key", "keys/signing.pem"]),
    single: true,
    render(rng, items, planter) {
      return `${planter.plant(items[0].entry, items[0].entry.token)}\n`;
    },
  },
  jsonfile: {
    file: (rng) => rng.pick(["service-account.json", "gcp-credentials.json", "keys/sa.json"]),
    single: true,
    render(rng, items, planter) {
      return `${planter.plant(items[0].entry, items[0].entry.token)}\n`;
    },
  },
  blockyaml: {
    file: (rng) => rng.pick(["k8s/tls.yaml", "config/keys.yaml"]),
    render(rng, items, planter) {
      const lines = ["apiVersion: v1", "kind: Secret", "metadata:", `  name: ${rng.service()}-keys`, "stringData:"];
      for (const item of items) {
        const key =
          item.entry.blockKind === "pem" ? rng.pick(["tls.key", "id_rsa", "signing-key.pem"]) : "credentials.json";
        lines.push(`  ${key}: |`, planter.plant(item.entry, indent(item.entry.token, "    ")));
      }
      return lines.join("\n") + "\n";
    },
  },
  blockjson: {
    file: (rng) => rng.pick(["settings.json", "config/production.json"]),
    render(rng, items, planter) {
      const props = items.map((item) => {
        const key =
          item.entry.blockKind === "pem"
            ? rng.pick(["private_key", "privateKey", "signing_key"])
            : "google_credentials";
        return `  "${key}": "${planter.plant(item.entry, jsonEscape(item.entry.token), { encoding: "json" })}"`;
      });
      return ["{", `  "service": "${rng.service()}",`, props.join(",\n"), "}", ""].join("\n");
    },
  },
  heredoc: {
    file: (rng) => rng.pick(["scripts/bootstrap.sh", "ci/install-keys.sh"]),
    render(rng, items, planter) {
      const lines = ["#!/bin/sh", "set -e", "mkdir -p ~/.ssh"];
      for (const item of items) {
        const target = item.entry.blockKind === "pem" ? "~/.ssh/id_rsa" : "/etc/gcp/credentials.json";
        lines.push(
          `cat > ${target} <<'EOF'`,
          planter.plant(item.entry, item.entry.token),
          "EOF",
          `chmod 600 ${target}`,
        );
      }
      return lines.join("\n") + "\n";
    },
  },
  pytriple: {
    file: () => "tests/conftest.py",
    render(rng, items, planter) {
      const lines = ["import pytest", ""];
      items.forEach((item, i) => {
        lines.push(`SIGNING_KEY_${i} = """${planter.plant(item.entry, item.entry.token)}"""`, "");
      });
      lines.push("", "@pytest.fixture", "def signer():", "    return Signer(SIGNING_KEY_0)", "");
      return lines.join("\n");
    },
  },
  envjson: {
    file: () => ".env",
    render(rng, items, planter) {
      const lines = envFiller(rng);
      for (const item of items) {
        const oneLine = JSON.stringify(JSON.parse(item.entry.token));
        lines.push(
          `GOOGLE_APPLICATION_CREDENTIALS_JSON='${planter.plant(item.entry, oneLine, { encoding: "one-line" })}'`,
        );
      }
      return lines.join("\n") + "\n";
    },
  },
  snippet: {
    file: (rng, items) => snippetFile(items[0].entry.text),
    single: true,
    render(rng, items, planter) {
      const { entry } = items[0];
      const at = entry.text.indexOf(entry.token);
      const marker = planter.plant(entry, entry.token);
      const body = entry.text.slice(0, at) + marker + entry.text.slice(at + entry.token.length);
      const yaml = /^\s*[\w-]+:\s*$/m.test(entry.text);
      const before = yaml
        ? ["# managed by ops", `region: ${rng.pick(["eu-west-1", "us-east-1"])}`]
        : ["# managed by ops"];
      const after = yaml ? [`timeout: ${rng.int(5, 60)}`] : [];
      return [...before, body.replace(/\n$/, ""), ...after, ""].join("\n");
    },
  },
};

function snippetFile(text) {
  if (/^\[[\w.-]+\]$/m.test(text)) return /cargo/i.test(text) ? ".cargo/credentials.toml" : "credentials.ini";
  if (/^\s*[\w-]+:\s*$/m.test(text)) return "config/cloud.yaml";
  return "config/credentials.txt";
}

function codeCell(source, outputs) {
  return { cell_type: "code", execution_count: outputs.length ? 1 : null, metadata: {}, outputs, source };
}

const slug = (provider) =>
  provider
    .toLowerCase()
    .replace(/\(.*?\)/g, "")
    .trim()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");

/** The example's own line around the token (`fetch("https://api.telegram.org/bot<token>/getMe")`). */
function lineText(planter, item) {
  const { entry } = item;
  return `${entry.line.pre.trimStart()}${planter.plant(entry, entry.token)}${entry.line.post}`;
}

function lineTextEscaped(planter, item) {
  const { entry } = item;
  return `${entry.line.pre.trimStart()}${planter.plant(entry, jsonEscape(entry.token))}${entry.line.post}\n`;
}

/** A shell line: header flags get the curl command they belong to. */
function shellLine(planter, item) {
  const text = lineText(planter, item);
  return /^-/.test(text) ? `curl -sS https://api.internal.example/v1/status ${text}` : text;
}

function curlHeader(rng, planter, item) {
  const host = slug(patternById(item.entry.type).provider).replace(/_/g, "");
  return `curl -sS -H "Authorization: Bearer ${planter.plant(item.entry, item.entry.token)}" https://api.${host}.com/v1/${rng.pick(["me", "projects", "usage"])}`;
}

const NPM_REGISTRIES = {
  npm_access_token: "//registry.npmjs.org/",
  github_personal_access_token: "//npm.pkg.github.com/",
  github_app_installation_access_token: "//npm.pkg.github.com/",
  gitlab_access_token: "//gitlab.com/api/v4/projects/4102/packages/npm/",
  gitlab_deploy_token: "//gitlab.com/api/v4/projects/4102/packages/npm/",
  jfrog_platform_access_token: "//acme.jfrog.io/artifactory/api/npm/npm-virtual/",
  jfrog_platform_reference_token: "//acme.jfrog.io/artifactory/api/npm/npm-virtual/",
  jfrog_platform_api_key: "//acme.jfrog.io/artifactory/api/npm/npm-virtual/",
};
const npmRegistry = (entry) => NPM_REGISTRIES[entry.type];

const GIT_HOSTS = {
  GitHub: "github.com",
  GitLab: "gitlab.com",
  Bitbucket: "bitbucket.org",
  "Hugging Face": "huggingface.co",
  "Azure DevOps": "dev.azure.com",
};
const gitHost = (entry) => GIT_HOSTS[patternById(entry.type).provider] ?? "git.internal.example";
const gitUser = (entry) =>
  ({ GitHub: "x-access-token", GitLab: "oauth2", "Hugging Face": "hf-user" })[patternById(entry.type).provider] ?? "ci";

// ---------------------------------------------------------------------------------------------------
// Which kinds of file can hold which entry.

const ASSIGN_KINDS = [
  "env",
  "yaml",
  "json",
  "py",
  "js",
  "java",
  "go",
  "rb",
  "sh",
  "history",
  "ipynb",
  "log",
  "compose",
  "k8s",
  "tf",
  "md",
];
/** Kinds that assign with a colon (YAML, JSON, compose and Kubernetes maps). */
const COLON_KINDS = new Set(["yaml", "json", "compose", "k8s"]);
const PAIR_KINDS = ["env", "yaml", "json", "py", "sh", "compose", "k8s", "tf"];
const PYPI_TYPES = new Set(["pypi_api_token", "jfrog_platform_access_token", "jfrog_platform_reference_token"]);

function lineKinds(line) {
  const text = `${line.pre}${line.post}`.trimStart();
  if (
    /^(?:-|curl|docker|export|git|npm|npx|vault|heroku|gh|doppler|netlify|vercel|supabase|huggingface-cli|prefect|sentry-cli|jf|src|rdme|dotnet|bundle|cargo|wget|az|gcloud|aws|kubectl|helm|fly|railway|terraform|pulumi|echo)\b/.test(
      text,
    )
  ) {
    return ["sh", "history", "md"];
  }
  if (/\b(?:const|let|var|require\(|new [A-Z]|fetch\()/.test(text) || /;\s*$/.test(text)) return ["js", "md"];
  if (/^\s*[\w.]+\s*=\s*[\w.]+\(/.test(text) || /^\w+\(/.test(text)) return ["py", "ipynb", "md"];
  return ["log", "md"];
}

/** The ways an entry can be planted: [{ form, kinds }]. */
export function placements(entry) {
  const pattern = patternById(entry.type);
  if (entry.mode === "snippet") return [{ form: "snippet", kinds: ["snippet"] }];
  if (entry.mode === "block") {
    const kinds =
      entry.blockKind === "pem"
        ? ["pemfile", "blockyaml", "blockjson", "heredoc", "pytriple"]
        : ["jsonfile", "blockyaml", "blockjson", "heredoc", "envjson"];
    return [{ form: "block", kinds }];
  }
  const out = [];
  if (entry.names.length > 0 || entry.free) {
    let kinds = entry.paired ? PAIR_KINDS : ASSIGN_KINDS;
    if (entry.equalsOnly) kinds = kinds.filter((k) => !COLON_KINDS.has(k));
    out.push({ form: "assign", kinds, weight: 6 });
  }
  if (entry.line && !entry.paired)
    out.push({ form: "line", kinds: lineKinds(entry.line), weight: entry.names.length > 0 || entry.free ? 2 : 8 });
  if (entry.free && !entry.paired) {
    out.push({ form: "header", kinds: ["sh", "history", "md", "log"], weight: 1 });
    if (pattern.base64) out.push({ form: "b64", kinds: ["k8s"], weight: 2 });
    if (npmRegistry(entry)) out.push({ form: "registry", kinds: ["npmrc"], weight: 2 });
    if (PYPI_TYPES.has(entry.type)) out.push({ form: "registry", kinds: ["pypirc"], weight: 2 });
    if (GIT_HOSTS[pattern.provider]) out.push({ form: "url", kinds: ["gitcreds"], weight: 2 });
  }
  return out;
}

export { KINDS };
