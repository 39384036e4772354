# The image worker: registers the thumbnail functions with every job server it is given. Copies the fat
# jar built by Maven; the context is the repository root:
#   mvn -B -pl image-workers -am package -DskipTests
#   docker build -f deploy/docker/image-worker.Dockerfile -t gearfarm/image-worker:0.1.0 .
#
# Base: the same pinned Temurin JRE on Alpine as gearmand.Dockerfile (see there for why).
FROM eclipse-temurin:17.0.15_6-jre-alpine

RUN addgroup -S -g 10001 gearfarm \
 && adduser -S -D -H -u 10001 -G gearfarm -s /sbin/nologin gearfarm \
 && mkdir -p /srv/gearfarm/in /srv/gearfarm/out \
 && chown gearfarm:gearfarm /srv/gearfarm/out

COPY image-workers/target/image-worker.jar /opt/gearfarm/image-worker.jar

# Decoding is heap-hungry (a 50 MP image is 200 MB as pixels), so the heap takes most of the limit; size
# --concurrency to it. Out of memory exits: gearmand hands the job that was running to another worker.
# Headless: no display, and AWT must not look for one.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true"

USER 10001:10001
# 9101: /metrics and /health. Workers only connect out (to gearmand and S3); nothing else listens.
EXPOSE 9101

HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:9101/health || exit 1

ENTRYPOINT ["java", "-jar", "/opt/gearfarm/image-worker.jar"]
# Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never the command line.
CMD ["--server", "gearmand:4730", "--concurrency", "2", "--allow-root", "/srv/gearfarm/in", "--output-root", "/srv/gearfarm/out", "--http-port", "9101"]
