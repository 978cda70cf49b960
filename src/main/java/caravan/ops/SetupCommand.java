package caravan.ops;

import caravan.common.Secrets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code caravan setup}: loads Caravan's dashboards into the tools that show them. */
@Command(name = "setup", mixinStandardHelpOptions = true, description = "Load dashboards into Kibana.",
        subcommands = SetupCommand.Kibana.class)
public final class SetupCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code caravan setup kibana}: imports the data views, visualizations and dashboard in
     * {@code caravan/kibana/caravan.ndjson} through Kibana's saved-objects import API. The objects
     * have fixed ids and the import overwrites, so running it again updates rather than duplicates.
     */
    @Command(name = "kibana", mixinStandardHelpOptions = true,
            description = "Import Caravan's Kibana data views and dashboard (idempotent: objects are overwritten by id).")
    public static final class Kibana implements Callable<Integer> {
        static final String OBJECTS = "/caravan/kibana/caravan.ndjson";

        @Option(names = "--url", required = true, description = "Kibana's base URL, e.g. http://localhost:5601")
        URI url;

        @Option(names = "--api-key-file", paramLabel = "FILE", description = "File holding a Kibana/Elasticsearch API key"
                + " (or set CARAVAN_KIBANA_API_KEY).")
        Path apiKeyFile;

        @Option(names = "--username", description = "Basic-auth user (the password from --password-file or CARAVAN_KIBANA_PASSWORD).")
        String username;

        @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the basic-auth password.")
        Path passwordFile;

        @Option(names = "--space", description = "Kibana space to import into (default: the default space).")
        String space;

        @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "Request timeout (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            byte[] ndjson;
            try (InputStream in = Kibana.class.getResourceAsStream(OBJECTS)) {
                ndjson = in.readAllBytes();
            }
            String boundary = "caravan-" + UUID.randomUUID();
            HttpRequest.Builder req = HttpRequest.newBuilder(importUri())
                    .timeout(Duration.ofSeconds(timeoutSeconds))
                    .header("kbn-xsrf", "caravan")
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, ndjson)));
            String auth = authorization();
            if (auth != null) {
                req.header("Authorization", auth);
            }
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(req.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = parse(r.body());
            if (r.statusCode() != 200 || body == null || !body.path("success").asBoolean(false)) {
                err.println("caravan: Kibana refused the import (HTTP " + r.statusCode() + "): " + abbreviate(r.body()));
                return 1;
            }
            out.println("Imported " + body.path("successCount").asInt() + " Kibana objects into " + url
                    + (space != null ? " (space " + space + ")" : "") + ": dashboard \"Caravan: web traffic\".");
            return 0;
        }

        private URI importUri() {
            String base = url.toString().replaceAll("/+$", "");
            return URI.create(base + (space != null ? "/s/" + space : "") + "/api/saved_objects/_import?overwrite=true");
        }

        private String authorization() {
            String key = Secrets.secret(System.getenv("CARAVAN_KIBANA_API_KEY"), apiKeyFile == null ? null : apiKeyFile.toString());
            if (key != null) {
                return "ApiKey " + key;
            }
            if (username != null) {
                String pw = Secrets.secret(System.getenv("CARAVAN_KIBANA_PASSWORD"), passwordFile == null ? null : passwordFile.toString());
                if (pw == null) {
                    throw new IllegalArgumentException("--username needs --password-file or CARAVAN_KIBANA_PASSWORD");
                }
                return "Basic " + Base64.getEncoder().encodeToString((username + ":" + pw).getBytes(StandardCharsets.UTF_8));
            }
            return null;
        }

        /** The import API takes the NDJSON as a multipart file part named "file". */
        static byte[] multipart(String boundary, byte[] ndjson) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"caravan.ndjson\"\r\n"
                    + "Content-Type: application/ndjson\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            b.write(ndjson);
            b.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return b.toByteArray();
        }

        private static JsonNode parse(String s) {
            try {
                return new ObjectMapper().readTree(s);
            } catch (IOException e) {
                return null;
            }
        }

        private static String abbreviate(String s) {
            return s.length() > 500 ? s.substring(0, 500) + "..." : s;
        }
    }
}
