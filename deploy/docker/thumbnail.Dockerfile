# The thumbnail command-line client, for one-off batches inside the same network as the farm
# (compose: `docker compose run --rm thumbnail batch s3://images/ --out s3://thumbnails/`). Copies the
# fat jar built by Maven; the context is the repository root:
#   mvn -B -pl thumbnail-client -am package -DskipTests
#   docker build -f deploy/docker/thumbnail.Dockerfile -t gearfarm/thumbnail:0.1.0 .
#
# Base: the same pinned Temurin JRE on Alpine as gearmand.Dockerfile (see there for why).
FROM eclipse-temurin:17.0.15_6-jre-alpine

RUN addgroup -S -g 10001 gearfarm \
 && adduser -S -D -H -u 10001 -G gearfarm -s /sbin/nologin gearfarm

COPY thumbnail-client/target/thumbnail.jar /opt/gearfarm/thumbnail.jar

# A client holds little: results and the report, never pixels.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50"

USER 10001:10001
WORKDIR /tmp

ENTRYPOINT ["java", "-jar", "/opt/gearfarm/thumbnail.jar"]
CMD ["--help"]
