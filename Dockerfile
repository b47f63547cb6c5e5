# syntax=docker/dockerfile:1
# Ledgerlink: one image for the API, the transfer worker and one-shot commands (see compose.yaml).
#   docker build -t ledgerlink .
#   docker run -p 4000:4000 -e DATABASE_URL=postgres://… ledgerlink            # API + worker
#   docker run -e DATABASE_URL=… ledgerlink node server/dist/cli.js worker      # a worker alone

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency from the lockfile, then `pnpm build` (server/dist, web/dist)
FROM ${NODE_IMAGE} AS build
RUN npm install -g pnpm@10.34.9
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY server/package.json server/
COPY web/package.json web/
COPY test/package.json test/
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build

# ---- production dependencies of the server only
FROM ${NODE_IMAGE} AS prod-deps
RUN npm install -g pnpm@10.34.9
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY server/package.json server/
COPY web/package.json web/
COPY test/package.json test/
RUN pnpm install --frozen-lockfile --prod --filter @ledgerlink/server

# ---- runtime: node, the compiled server, the built SPA, production dependencies; not root
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    LEDGERLINK_SEED=none \
    LEDGERLINK_DATA_DIR=/data \
    PORT=4000
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=prod-deps --chown=root:root /app/server/node_modules ./server/node_modules
COPY --chown=root:root package.json pnpm-workspace.yaml ./
COPY --chown=root:root server/package.json ./server/
COPY --chown=root:root server/scripts ./server/scripts
COPY --from=build --chown=root:root /app/server/dist ./server/dist
COPY --from=build --chown=root:root /app/web/dist ./web/dist
# Only the embedded PostgreSQL (no DATABASE_URL) writes, and only here.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server/dist/main.js"]
