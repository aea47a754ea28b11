# syntax=docker/dockerfile:1
# Build a static binary, then ship it alone in a distroless image as non-root.
# The build image is the Go release go.mod asks for (the golang images set
# GOTOOLCHAIN=local, so an older one refuses to build): bump both together.
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/thiduabot . \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/thiduabot /thiduabot
COPY --from=build --chown=65532:65532 /out/data /data
# Without REDIS_URL the bot keeps its state in the embedded file store in DATA_DIR.
ENV DATA_DIR=/data \
    HTTP_ADDR=:8080 \
    TZ=Asia/Ho_Chi_Minh
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/thiduabot", "healthcheck"]
ENTRYPOINT ["/thiduabot"]
