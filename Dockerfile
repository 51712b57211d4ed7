# syntax=docker/dockerfile:1
# The reference server as an image: built from the sources with the frozen lockfile, shipped as the
# standalone server (packages/server/scripts/build-artifact.mjs) with only production dependencies.
#
#   docker build -t async-chat-server .
#   docker run -p 8787:8787 -e JWT_SECRET=… -e DATABASE_URL=postgres://… async-chat-server
#
# Without DATABASE_URL it runs on PGlite in the /data volume (one instance only).
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV CI=true
RUN npm install --global pnpm@10.34.9
WORKDIR /src
# Dependencies first, from the lockfile alone: this layer is reused until pnpm-lock.yaml changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch
COPY . .
# Only what the server and the widget need to build; nothing is downloaded after `pnpm fetch`.
RUN pnpm install --offline --frozen-lockfile --filter "@app/server..." --filter "@app/chat-widget..." \
 && pnpm --filter "@app/server..." --filter @app/chat-widget build \
 && node packages/server/scripts/build-artifact.mjs /out --offline

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only for the server's user; only /data is writable.
COPY --from=build /out ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
# /readyz answers 200 once the database answers and every migration is applied.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server handles SIGTERM itself: it stops claiming, lets work finish for SHUTDOWN_GRACE_MS, releases the rest.
STOPSIGNAL SIGTERM
CMD ["node", "scripts/async-chat-server.mjs"]
