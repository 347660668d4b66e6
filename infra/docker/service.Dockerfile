# One image for the four services; docker-compose.yml picks the service with SERVICE.
FROM node:24-bookworm-slim
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile
ENV NODE_ENV=production HOST=0.0.0.0
CMD ["sh", "-c", "exec node --import tsx services/${SERVICE}/src/main.ts"]
