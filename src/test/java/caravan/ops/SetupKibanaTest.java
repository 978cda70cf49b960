package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code caravan setup kibana} against a local server that checks each call the way Kibana's
 * saved-objects import API does: POST /api/saved_objects/_import?overwrite=true, a kbn-xsrf
 * header, multipart/form-data with the NDJSON in a part named "file" whose name ends .ndjson.
 */
class SetupKibanaTest {
    @TempDir
    Path dir;
    private HttpServer kibana;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> imported = new CopyOnWriteArrayList<>();
    private final List<String> auth = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private volatile boolean refuse;

    @BeforeEach
    void kibana() throws Exception {
        kibana = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        kibana.createContext("/", ex -> {
            List<String> wrong = new ArrayList<>();
            String path = ex.getRequestURI().getPath();
            paths.add(path);
            if (!ex.getRequestMethod().equals("POST")) {
                wrong.add("method " + ex.getRequestMethod());
            }
            if (!path.endsWith("/api/saved_objects/_import")) {
                wrong.add("path " + path);
            }
            if (!"overwrite=true".equals(ex.getRequestURI().getQuery())) {
                wrong.add("query " + ex.getRequestURI().getQuery());
            }
            if (ex.getRequestHeaders().getFirst("kbn-xsrf") == null) {
                wrong.add("no kbn-xsrf header");
            }
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            Matcher b = Pattern.compile("multipart/form-data; boundary=(.+)").matcher(type == null ? "" : type);
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!b.matches()) {
                wrong.add("content type " + type);
            } else {
                String boundary = b.group(1);
                Matcher part = Pattern.compile("--" + Pattern.quote(boundary)
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"([^\"]+)\"\r\n(?:[^\r\n]+\r\n)*\r\n(.*)\r\n--"
                        + Pattern.quote(boundary) + "--\r\n", Pattern.DOTALL).matcher(body);
                if (!part.matches() || !part.group(1).endsWith(".ndjson")) {
                    wrong.add("no multipart part 'file' with an .ndjson file name");
                } else {
                    imported.add(part.group(2));
                }
            }
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            problems.addAll(wrong);
            int objects = imported.isEmpty() ? 0 : (int) imported.get(imported.size() - 1).lines().count();
            String reply = !wrong.isEmpty() ? "{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":\"" + wrong.get(0) + "\"}"
                    : refuse ? "{\"success\":false,\"successCount\":0,\"errors\":[{\"id\":\"caravan-logs\",\"error\":{\"type\":\"conflict\"}}]}"
                    : "{\"success\":true,\"successCount\":" + objects + ",\"successResults\":[]}";
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(wrong.isEmpty() ? 200 : 400, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        kibana.start();
    }

    @AfterEach
    void stop() {
        kibana.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + kibana.getAddress().getPort();
    }

    private int run(ByteArrayOutputStream out, String... args) {
        CommandLine cl = Caravan.commandLine();
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(out, true, StandardCharsets.UTF_8));
        return cl.execute(args);
    }

    @Test
    void importsEveryObjectAndRunningItTwiceIsTheSameImport() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "c2VjcmV0OmtleQ==\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(out, "setup", "kibana", "--url", url() + "/", "--api-key-file", key.toString())).isZero();
        assertThat(run(out, "setup", "kibana", "--url", url(), "--api-key-file", key.toString())).isZero();
        assertThat(problems).isEmpty();
        String resource = new String(SetupKibanaTest.class.getResourceAsStream("/caravan/kibana/caravan.ndjson").readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(imported).containsExactly(resource, resource); // overwrite=true, fixed ids: idempotent
        assertThat(auth).containsOnly("ApiKey c2VjcmV0OmtleQ==");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Imported " + resource.lines().count() + " Kibana objects");
    }

    @Test
    void aSpaceAndBasicAuth() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "hunter2");
        assertThat(run(new ByteArrayOutputStream(), "setup", "kibana", "--url", url(), "--space", "ops", "--username", "elastic",
                "--password-file", pw.toString())).isZero();
        assertThat(problems).isEmpty();
        assertThat(paths).containsExactly("/s/ops/api/saved_objects/_import");
        assertThat(auth).containsExactly("Basic " + java.util.Base64.getEncoder().encodeToString("elastic:hunter2".getBytes()));
    }

    @Test
    void aRefusedImportIsAFailureThatSaysWhy() {
        refuse = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(out, "setup", "kibana", "--url", url())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Kibana refused the import", "conflict");
    }

    @Test
    void aKibanaThatIsNotThereIsOneLine() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(out, "setup", "kibana", "--url", "http://127.0.0.1:" + port)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
    }
}
