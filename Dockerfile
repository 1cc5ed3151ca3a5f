# chatd as a container: built from the sources by the Maven Wrapper, run as a non-root user on a JRE.
#   docker build -t chatd .
#   docker run -p 8080:8080 -v chatd-data:/var/lib/chatd chatd
# With PostgreSQL: deploy/compose.yaml. Settings are the environment variables of README.md.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY protocol protocol
COPY cli cli
COPY server server
COPY bench/pom.xml bench/
# The Maven repository is a BuildKit cache: a rebuild after a source change downloads nothing.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -ntp -DskipTests -pl server -am package

FROM eclipse-temurin:25-jre
RUN groupadd --system chatd && useradd --system --gid chatd --home-dir /var/lib/chatd chatd \
    && mkdir -p /opt/chatd /var/lib/chatd && chown chatd:chatd /var/lib/chatd \
    && apt-get update -qq && apt-get install -y -qq --no-install-recommends libsodium23 curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/server/target/chatd-server.jar /opt/chatd/chatd-server.jar
USER chatd
WORKDIR /var/lib/chatd
# In a container the server listens on every interface; the port is published by the runtime.
ENV BIND=0.0.0.0 \
    PORT=8080 \
    DBURL=jdbc:sqlite:/var/lib/chatd/chatd.db \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME /var/lib/chatd
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/.well-known/healthcheck.json" || exit 1
# exec form: the JVM is PID 1 and handles SIGTERM itself (a clean stop in well under 2 s).
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/chatd/chatd-server.jar"]
