# Caravan's image: the runnable jar on a JRE. Build the jar first (mvn -DskipTests package).
FROM eclipse-temurin:17-jre
RUN useradd --system --home /opt/caravan caravan && mkdir -p /opt/caravan/data && chown caravan /opt/caravan/data
WORKDIR /opt/caravan
COPY target/caravan.jar /opt/caravan/caravan.jar
COPY application.properties /opt/caravan/application.properties
COPY routes /opt/caravan/routes
COPY alerts.yaml /opt/caravan/alerts.yaml
USER caravan
ENV CARAVAN_LOG_FORMAT=json
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/caravan/caravan.jar"]
CMD ["run", "--config", "/opt/caravan/application.properties"]
