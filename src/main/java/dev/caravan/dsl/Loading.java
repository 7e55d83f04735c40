package dev.caravan.dsl;

import dev.caravan.model.Secret;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Pattern;

/** What every context of one load shares: the problems found so far and how to read env() and secret(). */
final class Loading {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    /** Stands for an env() or secret() value that could not be read; its problem is already recorded. */
    static final Secret UNRESOLVED = new Secret("", "unresolved");

    final Problems problems;
    private final Function<String, String> env;
    private final Path baseDir;

    Loading(Problems problems, Function<String, String> env, Path baseDir) {
        this.problems = problems;
        this.env = env;
        this.baseDir = baseDir;
    }

    Secret env(String name) {
        String value = env.apply(name);
        if (value == null) {
            problems.add("environment variable '" + name + "' is not set");
            return UNRESOLVED;
        }
        return new Secret(value, "env(" + name + ")");
    }

    /** A path as written in the plan: absolute as is, relative from the plan file's directory. */
    Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }

    /** Reads a secret file, trimmed; a relative path is taken from the plan file's directory. */
    Secret secret(String path) {
        Path p = baseDir.resolve(path);
        try {
            if (Files.isDirectory(p)) {
                throw new IOException("is a directory");
            }
            return new Secret(Files.readString(p).trim(), "secret(" + path + ")");
        } catch (NoSuchFileException e) {
            problems.add("cannot read secret file '" + path + "': no such file");
        } catch (AccessDeniedException e) {
            problems.add("cannot read secret file '" + path + "': permission denied");
        } catch (IOException | RuntimeException e) {
            problems.add("cannot read secret file '" + path + "': " + e.getMessage());
        }
        return UNRESOLVED;
    }

    /** A plan, source, destination or label name, or null (problem recorded) when it is not one. */
    String name(String noun, Object value) {
        String s = Context.text(value);
        if (s == null) {
            problems.add(noun + " needs a name in quotes, e.g. ('nightly')");
            return null;
        }
        if (!NAME.matcher(s).matches()) {
            problems.add(noun + " name '" + s + "' is not valid: use lowercase letters, digits, '-' and '_',"
                    + " starting with a letter or digit");
            return null;
        }
        return s;
    }
}
