package dev.foreshadow.connectors.resources;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The smoke check of a warm-up: an HTTP GET or a command, with the result it must give, run within
 * a timeout. {@code {host}} and {@code {instance}} in the URL or the command's arguments stand for
 * the instance's address and id.
 */
public sealed interface SmokeCheck extends Serializable {

    /** Runs the check against one instance; never throws. */
    Check run(String host, String instanceId, Duration timeout);

    /** Passes when {@code GET url} answers {@code status} with a body containing {@code body}. */
    record HttpGet(String url, int status, String body) implements SmokeCheck {

        private static final HttpClient CLIENT =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();

        public HttpGet {
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new IllegalArgumentException(
                        "the smoke check's URL must be http(s), got " + url);
            }
        }

        @Override
        public Check run(String host, String instanceId, Duration timeout) {
            String target;
            try {
                target = fill(url, host, instanceId);
            } catch (IllegalStateException e) {
                return Check.failed(e.getMessage());
            }
            try {
                HttpResponse<String> response =
                        CLIENT.send(
                                HttpRequest.newBuilder(URI.create(target))
                                        .timeout(timeout)
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() != status) {
                    return Check.failed(
                            "GET "
                                    + target
                                    + " answered "
                                    + response.statusCode()
                                    + ", expected "
                                    + status);
                }
                if (body != null && !response.body().contains(body)) {
                    return Check.failed("GET " + target + " answered without '" + body + "'");
                }
                return Check.passed("GET " + target + " answered " + status);
            } catch (IOException e) {
                return Check.failed("GET " + target + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Check.failed("GET " + target + " interrupted");
            }
        }
    }

    /**
     * Passes when {@code command} exits with {@code exitCode} and its output (stdout and stderr)
     * contains {@code output}.
     */
    record Command(List<String> command, int exitCode, String output) implements SmokeCheck {

        private static final int MAX_OUTPUT = 8192;

        public Command {
            if (command == null || command.isEmpty()) {
                throw new IllegalArgumentException("the smoke check's command is empty");
            }
            command = List.copyOf(command);
        }

        @Override
        public Check run(String host, String instanceId, Duration timeout) {
            List<String> args;
            try {
                args = command.stream().map(a -> fill(a, host, instanceId)).toList();
            } catch (IllegalStateException e) {
                return Check.failed(e.getMessage());
            }
            String name = args.get(0);
            Process p;
            try {
                p = new ProcessBuilder(args).redirectErrorStream(true).start();
            } catch (IOException e) {
                return Check.failed("cannot run " + name + ": " + e.getMessage());
            }
            CompletableFuture<String> out =
                    CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return Check.failed(name + " did not finish within " + timeout);
                }
                String text = out.get(5, TimeUnit.SECONDS);
                if (p.exitValue() != exitCode) {
                    return Check.failed(
                            name
                                    + " exited "
                                    + p.exitValue()
                                    + ", expected "
                                    + exitCode
                                    + ": "
                                    + abbreviate(text));
                }
                if (output != null && !text.contains(output)) {
                    return Check.failed(name + " printed no '" + output + "': " + abbreviate(text));
                }
                return Check.passed(name + " exited " + exitCode);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                return Check.failed(name + " interrupted");
            } catch (Exception e) {
                p.destroyForcibly();
                return Check.failed(name + " failed: " + e);
            }
        }

        private static String read(InputStream in) {
            try (in) {
                byte[] bytes = in.readNBytes(MAX_OUTPUT);
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        private static String abbreviate(String s) {
            String line = s.strip().replace('\n', ' ');
            return line.length() <= 200 ? line : line.substring(0, 200) + "...";
        }
    }

    private static String fill(String template, String host, String instanceId) {
        if (template.contains("{host}") && host == null) {
            throw new IllegalStateException(
                    "instance " + instanceId + " has no address for {host}");
        }
        return template.replace("{host}", host == null ? "" : host)
                .replace("{instance}", instanceId);
    }
}
