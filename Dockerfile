# rangekeeper agent image. Runs the TypeScript CLI through tsx (no build step), as `npm start` does.
# Build:  docker build -t rangekeeper .
# Run:    docker run --rm -p 8080:8080 rangekeeper start            (devnet demo inside the container; dashboard at http://127.0.0.1:8080/)
#         docker run --rm -v $PWD/rangekeeper.yaml:/config/rangekeeper.yaml rangekeeper run --config /config/rangekeeper.yaml
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx and the anvil binary are needed at run time; dev dependencies are not.
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY tsconfig.json ./
# /app stays root's (the code is read-only to the agent); the run-time user owns only what the CLI
# writes under it: the devnet's manifest (.devnet/manifest.json) and the file store (./data).
RUN mkdir -p .devnet data && chown node:node .devnet data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "bin/rangekeeper.mjs"]
CMD ["start", "--host", "0.0.0.0"]
