# syntax=docker/dockerfile:1
#
# Multi-stage build for the Next.js standalone output.
#   docker build -t tg-support-desk .                   # runtime image (last stage: runner)
#   docker build --target builder -t tg-support-desk:tools .   # has tsx + devDeps: npm run db:migrate / db:seed
# docker-compose.yml uses the builder target for the one-off `migrate` service.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: install every dependency (devDependencies are needed for `next build` and tsx) ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Only the manifests, so this layer is reused until the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ---- builder: compile the app; also the image for migrations and seeding ----
FROM ${NODE_IMAGE} AS builder
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    BUILD_STANDALONE=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# public/ is optional in this repo; create it so the runner's COPY never fails.
RUN mkdir -p public && npm run build

# ---- runner: minimal production image (standalone server, no devDependencies) ----
FROM ${NODE_IMAGE} AS runner
WORKDIR /app
# server.js binds to HOSTNAME; 0.0.0.0 makes it reachable from outside the container.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    MIGRATIONS_DIR=./drizzle

# Run as an unprivileged user, never root.
RUN groupadd --system --gid 1001 nodejs \
 && useradd --system --uid 1001 --gid nodejs --no-create-home nextjs \
 && mkdir -p /app/data \
 && chown nextjs:nodejs /app/data

# standalone/ holds server.js plus the traced subset of node_modules (including the
# serverExternalPackages postgres and @electric-sql/pglite).
COPY --from=builder --chown=nextjs:nodejs /app/.next/standalone ./
# Static assets and public/ are not part of the standalone output; copy them in.
COPY --from=builder --chown=nextjs:nodejs /app/.next/static ./.next/static
COPY --from=builder --chown=nextjs:nodejs /app/public ./public
# SQL migrations, read at run time from MIGRATIONS_DIR (PGlite mode migrates on start).
COPY --from=builder --chown=nextjs:nodejs /app/drizzle ./drizzle

USER nextjs
# /app/data (writable by nextjs) holds PGlite and local uploads when DATABASE_URL / S3_BUCKET
# are unset; mount a volume there to keep them. No VOLUME line, so compose creates no stray volumes.
EXPOSE 3000

# The slim image has no curl; Node 20 ships a global fetch. /api/health answers 503 when the DB is down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

CMD ["node", "server.js"]
