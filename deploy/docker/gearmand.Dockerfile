# The Gearman job server. Copies the fat jar built by Maven, so build that first; the context is the
# repository root:
#   mvn -B -pl gearmand -am package -DskipTests
#   docker build -f deploy/docker/gearmand.Dockerfile -t gearfarm/gearmand:0.1.0 .
#
# Base: Eclipse Temurin's JRE on Alpine, pinned to a full version tag (add @sha256:… from `docker pull`
# where you mirror images). Alpine because it is the smallest maintained Temurin JRE and ships busybox
# wget for HEALTHCHECK (distroless has no shell or wget, so its health check would need another JVM).
# Netty's native epoll library is built against glibc and does not load on musl; the server then uses
# NIO (dev.gearfarm.gearman.internal.Transport), which costs a few system calls per packet. Where that
# matters, use eclipse-temurin:17.0.15_6-jre-noble instead: nothing else here changes.
FROM eclipse-temurin:17.0.15_6-jre-alpine

# A fixed numeric uid, so Kubernetes' runAsNonRoot can verify it and volumes can be chowned to it.
RUN addgroup -S -g 10001 gearfarm \
 && adduser -S -D -H -u 10001 -G gearfarm -s /sbin/nologin gearfarm \
 && mkdir -p /var/lib/gearmand \
 && chown gearfarm:gearfarm /var/lib/gearmand

COPY gearmand/target/gearmand.jar /opt/gearfarm/gearmand.jar

# The heap follows the container's memory limit; the rest is for Netty's direct buffers and metaspace.
# A JVM out of memory exits so the orchestrator restarts it; a journal queue keeps the jobs.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
VOLUME /var/lib/gearmand
# 4730: Gearman (binary and text admin protocol); 9100: /metrics and /health.
EXPOSE 4730 9100

HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:9100/health || exit 1

ENTRYPOINT ["java", "-cp", "/opt/gearfarm/gearmand.jar", "dev.gearfarm.gearmand.Gearmand"]
# Durable queue on the volume; keepalive so a worker host that vanishes without a FIN is noticed within
# idle + interval * count seconds and its jobs are handed to another worker.
CMD ["--port", "4730", "--http-port", "9100", "--queue-type", "journal", "--queue-dir", "/var/lib/gearmand", "--keepalive", "--keepalive-idle", "30", "--keepalive-interval", "10", "--keepalive-count", "3", "--verbose", "NOTICE"]
