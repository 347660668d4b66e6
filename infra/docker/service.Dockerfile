# One image for the four services; docker-compose.yml picks the service with SERVICE, and runs the
# stack's setup (roles, schemas, migrations, topics) with the same image.
# The TypeScript sources run as they are, through tsx (a production dependency of the root package);
# the install leaves out the development tools (vitest, biome, typescript, testcontainers).
# infra/test/docker/service-image.test.ts checks that every module the services load is installed.
FROM node:24-bookworm-slim
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile --prod
ENV NODE_ENV=production HOST=0.0.0.0
CMD ["sh", "-c", "exec node --import tsx services/${SERVICE}/src/main.ts"]
