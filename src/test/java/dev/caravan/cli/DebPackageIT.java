package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb ({@code src/deb/build-deb}, which {@code mvn package -Pdeb} runs) built from the release
 * tarball, then installed, upgraded, reinstalled, removed and purged by the real dpkg in a temporary
 * root ({@code --instdir}/{@code --admindir}; the maintainer scripts run with {@code DPKG_ROOT} set,
 * {@code --force-script-chrootless}, so they act on that root only). {@code --force-depends}: the
 * temporary root has no Java package installed. The installed unit passes {@code systemd-analyze verify}.
 */
class DebPackageIT {
    private static final String VERSION = "0.1.0-SNAPSHOT";

    @TempDir Path tmp;

    @Test
    void the_deb_installs_upgrades_over_an_edited_conffile_reinstalls_removes_and_purges() throws Exception {
        Path tarball = Path.of("target/caravan-" + VERSION + "-release.tar.gz").toAbsolutePath();
        assertThat(tarball).as("made by mvn package").isRegularFile();
        Result build = exec(List.of("src/deb/build-deb", tarball.toString(), VERSION, tmp.toString()));
        assertThat(build.exit).as(build.output).isZero();
        Path deb = Path.of(build.output.strip());
        assertThat(deb.getFileName().toString()).isEqualTo("caravan_0.1.0~SNAPSHOT_all.deb");

        Result info = exec(List.of("dpkg-deb", "--field", deb.toString(), "Package", "Version", "Architecture", "Depends"));
        assertThat(info.output).contains("Package: caravan", "Version: 0.1.0~SNAPSHOT", "Architecture: all", "Depends: default-jre-headless");
        assertThat(exec(List.of("dpkg-deb", "--ctrl-tarfile", deb.toString())).exit).isZero();
        Result contents = exec(List.of("dpkg-deb", "--contents", deb.toString()));
        assertThat(contents.output).contains("./opt/caravan/bin/caravan", "./opt/caravan/lib/caravan-" + VERSION + ".jar",
                "./usr/lib/systemd/system/caravan.service", "./usr/lib/sysusers.d/caravan.conf", "./usr/lib/tmpfiles.d/caravan.conf",
                "./etc/caravan/backups.groovy", "./etc/caravan/application.properties");
        assertThat(contents.output.lines().filter(l -> l.contains("./opt/caravan/lib/") && l.endsWith(".jar")).count())
                .as("every jar of the tarball").isEqualTo(jarsIn(tarball));

        // an older version with a library this one dropped, made from this package with dpkg-deb itself
        Path raw = tmp.resolve("old");
        assertThat(exec(List.of("dpkg-deb", "--raw-extract", deb.toString(), raw.toString())).exit).isZero();
        Path control = raw.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replace("Version: 0.1.0~SNAPSHOT", "Version: 0.0.9"));
        Files.writeString(raw.resolve("opt/caravan/lib/retired-library-0.9.jar"), "old");
        Path old = tmp.resolve("caravan_0.0.9_all.deb");
        Result oldBuild = exec(List.of("dpkg-deb", "--root-owner-group", "-Znone", "--build", raw.toString(), old.toString()));
        assertThat(oldBuild.exit).as(oldBuild.output).isZero();

        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");

        // install
        Result install = dpkg(root, "-i", old.toString());
        assertThat(install.exit).as(install.output).isZero();
        assertThat(status(root)).isEqualTo("install ok installed 0.0.9");
        String[] user = passwd(root);
        assertThat(user[5]).isEqualTo("/var/lib/caravan");
        assertThat(user[2]).isNotEqualTo("0");
        Path etc = root.resolve("etc/caravan");
        assertThat(mode(etc)).isEqualTo("750");
        assertThat(gid(etc)).isEqualTo(user[3]);
        assertThat(mode(etc.resolve("backups.groovy"))).isEqualTo("640");
        assertThat(gid(etc.resolve("backups.groovy"))).isEqualTo(user[3]);
        assertThat(mode(etc.resolve("application.properties"))).isEqualTo("640");
        assertThat(gid(etc.resolve("application.properties"))).isEqualTo(user[3]);
        for (String d : List.of("var/lib/caravan", "var/cache/caravan")) {
            assertThat(uid(root.resolve(d))).as(d).isEqualTo(user[2]);
            assertThat(mode(root.resolve(d))).as(d).isEqualTo("750");
        }
        assertThat(root.resolve("opt/caravan/lib/retired-library-0.9.jar")).exists();

        // the operator edits the plan, puts secrets in environment, the service writes state and backups
        Path plan = etc.resolve("backups.groovy");
        Files.writeString(plan, Files.readString(plan) + "// edited by the operator\n");
        Files.writeString(etc.resolve("environment"), "PGPASSWORD=pw\n");
        Files.writeString(root.resolve("var/lib/caravan/audit.log"), "{}\n");
        Files.createDirectories(root.resolve("var/lib/caravan/backups/example"));
        Files.writeString(root.resolve("var/lib/caravan/backups/example/manifest.json"), "{}");

        // upgrade: the edited conffile stays (--force-confold, as apt-get -o Dpkg::Options::=--force-confold),
        // the dropped library goes, the same user is kept, secrets become root-only
        Result upgrade = dpkg(root, "--force-confold", "-i", deb.toString());
        assertThat(upgrade.exit).as(upgrade.output).isZero();
        assertThat(status(root)).isEqualTo("install ok installed 0.1.0~SNAPSHOT");
        assertThat(Files.readString(plan)).endsWith("// edited by the operator\n");
        assertThat(root.resolve("opt/caravan/lib/retired-library-0.9.jar")).doesNotExist();
        assertThat(root.resolve("opt/caravan/lib/caravan-" + VERSION + ".jar")).isRegularFile();
        assertThat(passwd(root)).isEqualTo(user);
        assertThat(Files.readAllLines(root.resolve("etc/passwd")).stream().filter(l -> l.startsWith("caravan:"))).hasSize(1);
        assertThat(mode(etc.resolve("environment"))).isEqualTo("600");

        // reinstall of the same version
        Result reinstall = dpkg(root, "--force-confold", "-i", deb.toString());
        assertThat(reinstall.exit).as(reinstall.output).isZero();
        assertThat(status(root)).isEqualTo("install ok installed 0.1.0~SNAPSHOT");
        assertThat(root.resolve("opt/caravan/bin/caravan")).isExecutable();

        // the installed unit, offline: the host's units copied in so that its dependencies resolve
        Path unit = root.resolve("usr/lib/systemd/system/caravan.service");
        assertThat(exec(List.of("cp", "-an", "/usr/lib/systemd/system/.", root.resolve("usr/lib/systemd/system") + "/")).exit).isZero();
        Result verify = exec(List.of("systemd-analyze", "verify", "--man=no", "--root=" + root, unit.toString()));
        assertThat(verify.exit).as(verify.output).isZero();
        assertThat(verify.output).as("no complaints").isBlank();
        // the host's masked units are links to /dev/null: not this package's, and JUnit warns about each when it cleans up
        assertThat(exec(List.of("find", root.resolve("usr/lib/systemd/system").toString(), "-type", "l", "-delete")).exit).isZero();

        // remove: the program goes, the configuration, state and backups stay
        Result remove = dpkg(root, "-r", "caravan");
        assertThat(remove.exit).as(remove.output).isZero();
        assertThat(status(root)).isEqualTo("deinstall ok config-files 0.1.0~SNAPSHOT");
        assertThat(root.resolve("opt/caravan")).doesNotExist();
        assertThat(unit).doesNotExist();
        assertThat(Files.readString(plan)).endsWith("// edited by the operator\n");
        assertThat(root.resolve("var/lib/caravan/audit.log")).exists();

        // purge: configuration, secrets, cache and state go; backups never
        Result purge = dpkg(root, "-P", "caravan");
        assertThat(purge.exit).as(purge.output).isZero();
        assertThat(purge.output).contains("kept the backups in /var/lib/caravan/backups");
        assertThat(exec(List.of("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W", "caravan")).exit)
                .as("dpkg forgot the package").isNotZero();
        assertThat(etc).doesNotExist();
        assertThat(root.resolve("var/cache/caravan")).doesNotExist();
        assertThat(root.resolve("var/lib/caravan/audit.log")).doesNotExist();
        assertThat(root.resolve("var/lib/caravan/backups/example/manifest.json")).exists();
    }

    private Result dpkg(Path root, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dpkg", "--instdir=" + root, "--admindir=" + root.resolve("var/lib/dpkg"),
                "--force-script-chrootless", "--force-depends"));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    private String status(Path root) throws Exception {
        return exec(List.of("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W", "-f=${Status} ${Version}", "caravan")).output.strip();
    }

    private static String[] passwd(Path root) throws Exception {
        return Files.readAllLines(root.resolve("etc/passwd")).stream().filter(l -> l.startsWith("caravan:")).findFirst().orElseThrow().split(":");
    }

    private String mode(Path p) throws Exception {
        return exec(List.of("stat", "-c", "%a", p.toString())).output.strip();
    }

    private String uid(Path p) throws Exception {
        return exec(List.of("stat", "-c", "%u", p.toString())).output.strip();
    }

    private String gid(Path p) throws Exception {
        return exec(List.of("stat", "-c", "%g", p.toString())).output.strip();
    }

    private long jarsIn(Path tarball) throws Exception {
        return exec(List.of("tar", "-tzf", tarball.toString())).output.lines().filter(l -> l.startsWith("opt/caravan/lib/") && l.endsWith(".jar")).count();
    }

    private Result exec(List<String> command) throws Exception {
        Path out = Files.createTempFile(tmp, "exec", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Result(p.exitValue(), Files.readString(out));
    }

    private record Result(int exit, String output) { }
}
