# Vigil's container image: the server (default command) and the CLI for CI.
#
#   docker build -t vigil .
#   docker run -d -p 8080:8080 -v vigil-data:/data vigil                # vigil serve, data in the volume
#   docker run --rm -v "$PWD:/src" vigil scan /src                      # scan a directory or repository
#
# Three stages: build compiles the TypeScript and packs the two npm packages exactly as they are
# published; install installs those tarballs (the native modules re2 and better-sqlite3 download
# prebuilt binaries, or compile where none exists); the runtime stage gets the installed package,
# git, and nothing of the build. It runs as the unprivileged user vigil (uid 10001).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /build
COPY package.json package-lock.json ./
COPY packages/engine/package.json packages/engine/
COPY packages/partner/package.json packages/partner/
COPY packages/vigil/package.json packages/vigil/
# Scripts off: the TypeScript build needs no native module, and `prepare` wants the sources first.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY scripts/compile-rules.mjs scripts/bundle-cli.mjs scripts/
COPY packages/engine packages/engine
COPY packages/partner packages/partner
COPY packages/vigil packages/vigil
RUN node scripts/compile-rules.mjs --quiet \
  && npx tsc -b packages/engine packages/partner packages/vigil \
  && node scripts/bundle-cli.mjs --quiet \
  && mkdir -p /build/pack \
  && npm pack -w packages/engine -w packages/partner -w packages/vigil --pack-destination /build/pack

FROM ${NODE_IMAGE} AS install
# Compilers for a native module with no prebuilt binary for this platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && apt-get clean && rm -rf /var/lib/apt/lists/*
# Download mirrors for the native modules' prebuilt binaries (docs/install.md), when GitHub is out of reach.
ARG RE2_DOWNLOAD_MIRROR
ARG npm_config_better_sqlite3_binary_host
COPY --from=build /build/pack /tmp/pack
WORKDIR /opt/vigil
RUN echo '{"name":"vigil-image","private":true,"allowScripts":{"re2":true,"better-sqlite3":true}}' > package.json \
  && npm install --omit=dev --no-audit --no-fund /tmp/pack/vigil-secrets-engine-*.tgz /tmp/pack/vigil-secrets-partner-*.tgz /tmp/pack/vigil-secrets-[0-9]*.tgz \
  && npm cache clean --force \
  && rm -rf node_modules/re2/vendor node_modules/re2/build/Release/obj.target node_modules/better-sqlite3/deps \
    node_modules/better-sqlite3/src node_modules/better-sqlite3/build/Release/obj.target /tmp/pack

FROM ${NODE_IMAGE}
RUN apt-get update \
  && apt-get install -y --no-install-recommends git ca-certificates \
  && apt-get clean && rm -rf /var/lib/apt/lists/* \
  # A mounted repository belongs to another uid; git refuses such repositories unless told they are safe.
  && git config --system --add safe.directory '*' \
  && groupadd --system --gid 10001 vigil \
  && useradd --system --uid 10001 --gid vigil --home-dir /data --shell /usr/sbin/nologin vigil \
  && mkdir -p /data \
  && chown vigil:vigil /data
COPY --from=install /opt/vigil /opt/vigil
RUN ln -s /opt/vigil/node_modules/.bin/vigil /usr/local/bin/vigil
ENV VIGIL_DATA_DIR=/data \
  NODE_ENV=production
VOLUME /data
WORKDIR /data
USER vigil
EXPOSE 8080
ENTRYPOINT ["vigil"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
