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
COPY server/jvm.options bin/lib/aot-train.sh /opt/chatd/
# The JDK's AOT cache, trained at build time on this image's JVM with the options the server runs with: a
# container starts from classes already loaded and linked, and a quarter of the JIT work is already done
# (docs/DEPLOY.md). The training serves a scratch SQLite database on loopback for a few seconds.
RUN /opt/chatd/aot-train.sh /opt/chatd/chatd-server.jar /opt/chatd/chatd.aot /opt/chatd/jvm.options \
    || { cat /opt/chatd/chatd.aot.log; exit 1; }
USER chatd
WORKDIR /var/lib/chatd
# In a container the server listens on every interface; the port is published by the runtime.
ENV BIND=0.0.0.0 \
    PORT=8080 \
    DBURL=jdbc:sqlite:/var/lib/chatd/chatd.db \
    CHATD_JAVA_OPTS=""
VOLUME /var/lib/chatd
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/.well-known/healthcheck.json" || exit 1
# The shell only expands CHATD_JAVA_OPTS (JVM options after server/jvm.options, which they override, e.g.
# -Xmx2g) and execs: the JVM is PID 1 and handles SIGTERM itself (a clean stop in well under 2 s).
ENTRYPOINT ["sh", "-c", "exec java @/opt/chatd/jvm.options -XX:AOTCache=/opt/chatd/chatd.aot -Xlog:aot=off -Xlog:cds=off $CHATD_JAVA_OPTS -jar /opt/chatd/chatd-server.jar \"$@\"", "chatd"]
