package dev.caravan.source;

import java.util.function.Consumer;

/**
 * Where and how to restore one source.
 *
 * @param target null to restore where the source came from; otherwise what {@code --to} said: a
 *               directory, a database name, or a URL such as {@code postgresql://host:port/db}
 * @param force  overwrite a non-empty target
 * @param dryRun say what would be done, change nothing
 * @param log    one line per notable step, for the operator
 */
public record RestoreRequest(String target, boolean force, boolean dryRun, Consumer<String> log) {
}
