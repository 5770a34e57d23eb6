# rangekeeper agent image. Runs the TypeScript CLI through tsx (no build step), as `npm start` does.
# Build:  docker build -t rangekeeper .
# Run:    docker run --rm -p 8080:8080 rangekeeper start            (devnet demo inside the container)
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
USER node
EXPOSE 8080
ENTRYPOINT ["node", "bin/rangekeeper.mjs"]
CMD ["start", "--host", "0.0.0.0"]
