package dev.dbbat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DBBat server launched from {@code dbbat-server/target/dbbat.jar}, configured through its REST API with a user,
 * a database pointing at the upstream, and a full-access grant.
 */
final class DbbatProcess implements AutoCloseable {
    static final String USER = "benchdev";
    static final String PASSWORD = "benchdev-password-1";
    static final String DATABASE_NAME = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Process process;
    private final int pgPort;
    private final int apiPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path home;
    private String token;

    private DbbatProcess(String name, Process process, int pgPort, int apiPort, Path home) {
        this.name = name;
        this.home = home;
        this.process = process;
        this.pgPort = pgPort;
        this.apiPort = apiPort;
    }

    /**
     * @param storeResults whether result rows are captured (statement logging is always on)
     * @param heapMb maximum heap of the proxy JVM
     */
    static DbbatProcess start(String name, Path jar, Upstream upstream, String storeDatabase, boolean storeResults,
            int heapMb) throws IOException, InterruptedException {
        return start(name, jar, upstream, storeDatabase, storeResults, heapMb, Map.of(), List.of());
    }

    /**
     * @param extraEnv more {@code DBB_*} settings (e.g. {@code DBB_AUTH_CACHE_ENABLED=false})
     * @param jvmArgs more JVM options (e.g. JFR), before {@code -jar}
     */
    static DbbatProcess start(String name, Path jar, Upstream upstream, String storeDatabase, boolean storeResults,
            int heapMb, Map<String, String> extraEnv, List<String> jvmArgs) throws IOException, InterruptedException {
        int pgPort = Processes.freePort();
        int apiPort = Processes.freePort();
        Path home = Files.createTempDirectory("bench-dbbat-" + name);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DBB_DSN", upstream.storeDsn(storeDatabase));
        env.put("DBB_KEY", Base64.getEncoder().encodeToString(key));
        env.put("DBB_HOME", home.toString());
        env.put("DBB_LISTEN_PG", "127.0.0.1:" + pgPort);
        env.put("DBB_LISTEN_API", "127.0.0.1:" + apiPort);
        env.put("DBB_LISTEN_ORA", "");
        env.put("DBB_LISTEN_MYSQL", "");
        env.put("DBB_LOG_LEVEL", "warn");
        env.put("DBB_RATE_LIMIT_ENABLED", "false");
        env.put("DBB_QUERY_STORAGE_STORE_RESULTS", Boolean.toString(storeResults));
        env.putAll(extraEnv);
        List<String> command = new java.util.ArrayList<>(List.of("java", "-Xmx" + heapMb + "m",
                "-Duser.home=" + home));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "serve"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("dbbat.log").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        DbbatProcess result = new DbbatProcess(name, process, pgPort, apiPort, home);
        try {
            awaitApi(process, apiPort, home);
            result.provision(upstream);
            Processes.awaitPort("127.0.0.1", pgPort, Duration.ofSeconds(30));
        } catch (IOException | RuntimeException ex) {
            result.close();
            throw ex;
        }
        return result;
    }

    /** Waits for the API port; fails at once, with the server's last lines, if the server exits first. */
    private static void awaitApi(Process process, int apiPort, Path home) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                List<String> lines = Files.readAllLines(home.resolve("dbbat.log"));
                throw new IOException("dbbat exited with " + process.exitValue() + " during start-up:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
            try {
                Processes.awaitPort("127.0.0.1", apiPort, Duration.ofMillis(500));
                return;
            } catch (IOException notYet) {
                // keep waiting
            }
        }
        throw new IOException("dbbat API did not open port " + apiPort + " within 120 s");
    }

    Path home() {
        return home;
    }

    private void provision(Upstream upstream) throws IOException, InterruptedException {
        String adminPassword = "admin-password-1";
        call("PUT", "/auth/password", Map.of("username", "admin", "current_password", "admin", "new_password",
                adminPassword), 200);
        token = call("POST", "/auth/login", Map.of("username", "admin", "password", adminPassword), 200)
                .get("token").asText();
        call("POST", "/users", Map.of("username", USER, "password", "initial-password-1", "roles",
                List.of("connector")), 200, 201);
        call("PUT", "/auth/password", Map.of("username", USER, "current_password", "initial-password-1",
                "new_password", PASSWORD), 200);
        JsonNode user = call("GET", "/users", null, 200).get("users");
        String userId = null;
        for (JsonNode each : user) {
            if (USER.equals(each.get("username").asText())) {
                userId = each.get("uid").asText();
            }
        }
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("name", DATABASE_NAME);
        database.put("protocol", "postgresql");
        database.put("host", "127.0.0.1");
        database.put("port", upstream.port());
        database.put("database_name", Upstream.DATABASE);
        database.put("username", Upstream.USER);
        database.put("password", Upstream.PASSWORD);
        database.put("ssl_mode", "disable");
        String databaseId = call("POST", "/databases", database, 200, 201).get("uid").asText();
        Map<String, Object> grant = new LinkedHashMap<>();
        grant.put("user_id", userId);
        grant.put("database_id", databaseId);
        grant.put("controls", List.of());
        grant.put("starts_at", Instant.now().minusSeconds(3600).toString());
        grant.put("expires_at", Instant.now().plusSeconds(86400).toString());
        call("POST", "/grants", grant, 200, 201);
    }

    private JsonNode call(String method, String path, Object body, int... expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + apiPort + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (int each : expected) {
            if (response.statusCode() == each) {
                return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            }
        }
        throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }

    Target target() {
        return new Target(name, "127.0.0.1", pgPort, USER, PASSWORD, DATABASE_NAME);
    }

    long pid() {
        return process.pid();
    }

    /** Statements DBBat recorded so far (from the API). */
    long recordedQueries() throws IOException, InterruptedException {
        return call("GET", "/connections?limit=1000", null, 200).get("connections").findValues("queries").stream()
                .mapToLong(JsonNode::asLong)
                .sum();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
