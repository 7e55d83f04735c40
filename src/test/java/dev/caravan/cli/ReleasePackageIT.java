package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball that {@code mvn package} makes (target/caravan-VERSION-release.tar.gz), installed
 * the way docs/install.md says, into a temporary root: its systemd unit passes {@code systemd-analyze
 * verify}, its sysusers.d and tmpfiles.d snippets make the caravan user and /etc/caravan, and the
 * service started exactly as the unit's ExecStart (its user, its environment, a read-only install
 * directory, only StateDirectory and CacheDirectory writable) takes a scheduled backup.
 */
class ReleasePackageIT {

    private static final String VERSION = "0.1.0-SNAPSHOT";

    @TempDir Path tmp;
    Path root;

    @BeforeEach
    void unpack() throws Exception {
        Path tarball = Path.of("target/caravan-" + VERSION + "-release.tar.gz").toAbsolutePath();
        assertThat(tarball).as("made by mvn package").isRegularFile();
        // the service's user has to reach the root: JUnit makes its temporary folder 0700
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        exec(List.of("tar", "-xzf", tarball.toString(), "-C", root.toString(), "--no-same-owner"));
    }

    @Test
    void the_unit_passes_systemd_analyze_verify() throws Exception {
        Path unit = root.resolve("usr/lib/systemd/system/caravan.service");
        // Offline, with no booted systemd: --man=no (Documentation= is not looked up), --root so that
        // ExecStart is found in the unpacked package, and the host's own units copied into that root
        // so that the unit's dependencies (sysinit.target, network-online.target ...) resolve.
        Result copy = exec(List.of("cp", "-an", "/usr/lib/systemd/system/.", root.resolve("usr/lib/systemd/system") + "/"));
        assertThat(copy.exit).as(copy.output).isZero();
        Result verify = exec(List.of("systemd-analyze", "verify", "--man=no", "--root=" + root, unit.toString()));
        assertThat(verify.exit).as(verify.output).isZero();
        assertThat(verify.output).as("no complaints").isBlank();
        String text = Files.readString(unit);
        assertThat(text).contains("SuccessExitStatus=143", "User=caravan", "StateDirectory=caravan", "CacheDirectory=caravan",
                "ExecStart=/opt/caravan/bin/caravan run /etc/caravan/backups.groovy");
    }

    @Test
    void the_service_starts_as_its_unit_says_and_takes_a_scheduled_backup() throws Exception {
        // what docs/install.md has systemd do on install: the user, then /etc/caravan
        Result sysusers = exec(List.of("systemd-sysusers", "--root=" + root));
        assertThat(sysusers.exit).as(sysusers.output).isZero();
        Result tmpfiles = exec(List.of("systemd-tmpfiles", "--create", "--root=" + root));
        assertThat(tmpfiles.exit).as(tmpfiles.output).isZero();
        String[] user = Files.readAllLines(root.resolve("etc/passwd")).stream()
                .filter(l -> l.startsWith("caravan:")).findFirst().orElseThrow().split(":");
        String uid = user[2];
        String gid = user[3];
        assertThat(user[5]).isEqualTo("/var/lib/caravan");
        assertThat(uid).isNotEqualTo("0");
        Path etc = root.resolve("etc/caravan");
        assertThat(etc.resolve("backups.groovy")).as("the example plan, copied on first install").isRegularFile();
        assertThat(Files.getAttribute(etc, "unix:gid").toString()).isEqualTo(gid);

        Path unit = root.resolve("usr/lib/systemd/system/caravan.service");
        Map<String, String> env = new LinkedHashMap<>();
        String execStart = null;
        List<String> dirs = new ArrayList<>();
        for (String line : Files.readAllLines(unit)) {
            if (line.startsWith("Environment=")) {
                String kv = line.substring("Environment=".length());
                env.put(kv.substring(0, kv.indexOf('=')), under(kv.substring(kv.indexOf('=') + 1)));
            } else if (line.startsWith("ExecStart=")) {
                execStart = line.substring("ExecStart=".length());
            } else if (line.startsWith("StateDirectory=")) {
                dirs.add("var/lib/" + line.substring("StateDirectory=".length()));
            } else if (line.startsWith("CacheDirectory=")) {
                dirs.add("var/cache/" + line.substring("CacheDirectory=".length()));
            }
        }
        assertThat(execStart).isNotNull();
        assertThat(dirs).hasSize(2);
        // what systemd does for StateDirectory= and CacheDirectory=: made, owned by the unit's user
        for (String dir : dirs) {
            Path d = root.resolve(dir);
            Files.createDirectories(d);
            exec(List.of("chown", uid + ":" + gid, d.toString()));
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-x---"));
        }
        // nothing of the installation is writable: not even to its owner
        exec(List.of("chmod", "-R", "a-w", root.resolve("opt").toString()));

        // the plan the operator writes: a folder every 2 seconds into the state directory, and the status page
        int httpPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            httpPort = free.getLocalPort();
        }
        Path data = root.resolve("srv/data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("a.txt"), "sample");
        Files.writeString(etc.resolve("backups.groovy"), """
                backup('packaged') {
                    schedule every('2s')
                    sources { files('data') { path '%s' } }
                    destinations { local('state') { path '%s' } }
                }
                service { http port: %d }
                """.formatted(data, root.resolve("var/lib/caravan/backups"), httpPort));

        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        for (String word : execStart.split(" ")) {
            command.add(under(word));
        }
        Path log = tmp.resolve("service.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/"))
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // systemd's environment for a User= service: PATH, HOME, USER and the unit's Environment=
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().put("USER", "caravan");
        pb.environment().put("LOGNAME", "caravan");
        pb.environment().putAll(env);
        Process service = pb.start();
        Path backups = root.resolve("var/lib/caravan/backups/packaged");
        try {
            long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5);
            while (landed(backups) < 2) {
                assertThat(service.isAlive()).as("the service runs: %s", Files.readString(log)).isTrue();
                assertThat(System.currentTimeMillis()).as("two backups land: %s", Files.readString(log)).isLessThan(deadline);
                Thread.sleep(500);
            }
            // the status page's restore command names the package's own launcher
            String page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort + "/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("<code class=\"cmd\">" + root + "/opt/caravan/bin/caravan restore " + root + "/etc/caravan/backups.groovy ");
        } finally {
            service.destroy();   // SIGTERM, as systemctl stop
            assertThat(service.waitFor(2, TimeUnit.MINUTES)).isTrue();
        }
        String output = Files.readString(log);
        assertThat(service.exitValue()).as("SuccessExitStatus=143: %s", output).isIn(0, 143);
        assertThat(output).doesNotContainIgnoringCase("read-only file system").doesNotContainIgnoringCase("permission denied")
                .doesNotContain("caravan: building");
        // and it wrote only where the unit lets it
        try (Stream<Path> written = Files.walk(root.resolve("opt"))) {
            assertThat(written.filter(p -> p.getFileName().toString().endsWith(".aot"))).isEmpty();
        }
    }

    /** A path of the unit, inside the temporary root. */
    private String under(String path) {
        for (String top : List.of("/opt/", "/etc/", "/var/")) {
            if (path.startsWith(top)) {
                return root + path;
            }
        }
        return path;
    }

    private static int landed(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> ids = Files.list(dir)) {
            return (int) ids.filter(id -> Files.isRegularFile(id.resolve("manifest.json"))).count();
        }
    }

    private Result exec(List<String> command) throws Exception {
        Path out = Files.createTempFile(tmp, "exec", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Result(p.exitValue(), Files.readString(out));
    }

    private record Result(int exit, String output) { }
}
