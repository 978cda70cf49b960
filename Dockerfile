# Caravan's image, built from source: docker build -t caravan .
# Stage 1 compiles with Maven; stage 2 is a JRE, the jar and the default configuration.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in their own layer: a source edit does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline -DskipTests
COPY src ./src
# Not offline: go-offline misses some plugin dependencies (shade, jar), fetched here once.
RUN mvn -B -q -DskipTests package && cp target/caravan.jar /caravan.jar

FROM eclipse-temurin:17-jre
# A fixed, non-root uid/gid, so volumes (checkpoints, GeoIP) can be owned by it on the host too.
RUN groupadd --system --gid 10001 caravan \
 && useradd --system --uid 10001 --gid caravan --home-dir /opt/caravan --shell /usr/sbin/nologin caravan \
 && mkdir -p /opt/caravan/data /opt/caravan/rules \
 && chown caravan:caravan /opt/caravan/data
WORKDIR /opt/caravan
COPY --from=build /caravan.jar /opt/caravan/caravan.jar
COPY application.properties /opt/caravan/application.properties
COPY routes /opt/caravan/routes
COPY alerts.yaml /opt/caravan/rules/alerts.yaml
USER 10001:10001
ENV CARAVAN_LOG_FORMAT=json \
    CARAVAN_ALERT_RULES_FILE=/opt/caravan/rules/alerts.yaml \
    CARAVAN_HTTP_HOST=0.0.0.0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseParallelGC -XX:MetaspaceSize=96m -XX:TrimNativeHeapInterval=30000 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
EXPOSE 9876
# bash /dev/tcp, not curl: the JRE image need not carry curl. Ready means Kafka and Elasticsearch answer and the routes run (README "Operations").
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=4 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9876 && printf 'GET /observe/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-jar", "/opt/caravan/caravan.jar"]
CMD ["run", "--config", "/opt/caravan/application.properties"]
