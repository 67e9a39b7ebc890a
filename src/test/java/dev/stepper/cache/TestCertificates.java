package dev.stepper.cache;

import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate for 127.0.0.1 signed by it, made with {@code openssl}
 * in a directory of the test's: {@code ca.crt}, {@code server.crt}, {@code server.key}. Without
 * {@code openssl} the test is skipped, saying so.
 */
final class TestCertificates {

  private TestCertificates() {}

  /** Writes the CA and the server's certificate and key into the directory. */
  static void make(Path dir) throws IOException, InterruptedException {
    assumeTrue(onPath("openssl"), "openssl is not on PATH: cannot make a test CA and certificate");
    Files.writeString(dir.resolve("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n", StandardCharsets.US_ASCII);
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
        "-subj", "/CN=Stepper Cache Test CA");
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(Arrays.asList(args));
    Path output = dir.resolve("openssl.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      abort("openssl " + args[0] + " did not finish within 30 s: cannot make test certificates");
    }
    if (p.exitValue() != 0) {
      abort("openssl " + String.join(" ", args) + " failed (exit " + p.exitValue()
          + "), so no test certificates: " + Files.readString(output));
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null && Arrays.stream(path.split(File.pathSeparator))
        .anyMatch(entry -> !entry.isBlank() && Files.isExecutable(Path.of(entry, program)));
  }
}
