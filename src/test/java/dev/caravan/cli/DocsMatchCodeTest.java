package dev.caravan.cli;

import dev.caravan.destination.DestinationKinds;
import dev.caravan.source.SourceKinds;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docs cannot fall behind the code: every {@code caravan VERB ...} or {@code jbang/caravan VERB ...}
 * shown in README.md and docs/ parses with the real command tree, and no page or example plan says a
 * block or kind that exists is unsupported, planned or coming.
 */
class DocsMatchCodeTest {
    /** A command in a code block line ({@code $ } prompt and {@code VAR=x} assignments allowed) or an inline code span. */
    private static final Pattern LINE_COMMAND = Pattern.compile("^\\s*(?:\\$\\s+)?(?:[A-Z_]+=\\S*\\s+)*(?:jbang/)?caravan\\s+(.*)$");
    private static final Pattern SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern SPAN_COMMAND = Pattern.compile("^(?:[A-Z_]+=\\S*\\s+)*(?:jbang/)?caravan\\s+(.*)$");

    /** Phrases that say something is missing; a sentence with one of them must not name an existing block or kind. */
    private static final Pattern MISSING = Pattern.compile(
            "not (?:yet )?supported|unsupported|(?:is|are) not (?:available |there )?yet|not (?:yet )?implemented|arrives? with|when it lands|coming soon|is planned"
                    + "|are planned|registered so far|only [^.]* (?:is|are) registered|in a later version|\\bTODO\\b",
            Pattern.CASE_INSENSITIVE);

    record Command(Path file, int line, String text) {
        @Override
        public String toString() {
            return file + ":" + line + ": caravan " + text;
        }
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> s = Files.walk(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    static List<Path> plans() throws IOException {
        List<Path> plans = new ArrayList<>(List.of(Path.of("dsl/reference.groovy"), Path.of("config/quickstart.groovy")));
        try (Stream<Path> s = Files.list(Path.of("dsl/examples"))) {
            s.filter(p -> p.toString().endsWith(".groovy")).sorted().forEach(plans::add);
        }
        return plans;
    }

    /** Every command line the pages show: lines of fenced code blocks (with {@code \} continuations) and inline code spans. */
    static List<Command> commands(Path page) {
        List<String> lines = read(page);
        List<Command> found = new ArrayList<>();
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                Matcher m = LINE_COMMAND.matcher(line);
                if (m.matches()) {
                    StringBuilder text = new StringBuilder(m.group(1));
                    int first = i + 1;
                    while (text.toString().endsWith("\\") && i + 1 < lines.size()) {
                        text.setLength(text.length() - 1);
                        text.append(' ').append(lines.get(++i).strip());
                    }
                    found.add(new Command(page, first, text.toString()));
                }
                continue;
            }
            Matcher spans = SPAN.matcher(line);
            while (spans.find()) {
                Matcher m = SPAN_COMMAND.matcher(spans.group(1).strip());
                if (m.matches()) {
                    found.add(new Command(page, i + 1, m.group(1)));
                }
            }
        }
        return found;
    }

    /**
     * The arguments as the shell would pass them, cut at the first pipe, redirection, comment or
     * {@code &&}. Substitution rules for how docs write a synopsis: {@code [--plan P]} loses its
     * brackets, {@code ...} (more arguments) and {@code [options]} are dropped, {@code a|b} alternatives
     * take the first, and {@code VERB} stands for a verb ({@code check}). Other placeholders (FILE, ID,
     * P, DIR) are ordinary arguments to the parser, since every option takes a string or a path.
     */
    static List<String> arguments(String text) {
        List<String> args = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    args.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else if ((c == '#' && !inToken) || c == ';' || c == '>' || (c == '|' && !inBrackets(cur))
                    || (c == '&' && i + 1 < text.length() && text.charAt(i + 1) == '&') || (c == '2' && !inToken && text.startsWith("2>", i))) {
                break;
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            args.add(cur.toString());
        }
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (a.equalsIgnoreCase("[options]")) {
                continue;                                       // "any options"
            }
            String t = a.replace("[", "").replace("]", "");
            if (t.equals("VERB")) {
                t = "check";                                    // "any verb": the one every verb's synopsis shares
            }
            if (t.contains("|")) {
                t = t.substring(0, t.indexOf('|'));
            }
            if (t.isEmpty() || t.equals("...") || t.equals("…")) {
                continue;
            }
            out.add(t);
        }
        return out;
    }

    private static boolean inBrackets(StringBuilder cur) {
        return cur.indexOf("[") >= 0 && cur.indexOf("]") < 0;
    }

    @Test
    void every_command_in_the_docs_parses_with_the_command_tree() throws IOException {
        List<String> wrong = new ArrayList<>();
        int parsed = 0;
        for (Path page : pages()) {
            for (Command c : commands(page)) {
                List<String> args = arguments(c.text());
                if (args.isEmpty() || args.get(0).startsWith("-") && args.size() == 1) {
                    continue;                                   // `caravan --help`, or the bare program name
                }
                try {
                    new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
                } catch (CommandLine.MissingParameterException e) {
                    // a verb named without its FILE (`caravan now`) is a mention, not a wrong command
                } catch (CommandLine.ParameterException e) {
                    wrong.add(c + "\n    " + e.getMessage());
                }
                parsed++;
            }
        }
        assertThat(wrong).as("commands in the docs that the command line refuses").isEmpty();
        assertThat(parsed).as("commands found in the docs").isGreaterThan(50);
    }

    @Test
    void the_command_extraction_follows_the_substitution_rules() {
        assertThat(arguments("replicate FILE [--plan P] [--dry-run] [--json]"))
                .containsExactly("replicate", "FILE", "--plan", "P", "--dry-run", "--json");
        assertThat(arguments("now config/quickstart.groovy      # back up it")).containsExactly("now", "config/quickstart.groovy");
        assertThat(arguments("status --json | jq '.plans'")).containsExactly("status", "--json");
        assertThat(arguments("restore plan.groovy latest --to '/tmp/a b' 2>&1")).containsExactly("restore", "plan.groovy", "latest", "--to", "/tmp/a b");
        assertThat(arguments("wal-push ...")).containsExactly("wal-push");
        assertThat(arguments("VERB FILE [options]")).containsExactly("check", "FILE");
    }

    @Test
    void an_unknown_verb_or_option_in_a_doc_would_fail() {
        assertThat(parses("now FILE --plan p")).isTrue();
        assertThat(parses("nwo FILE")).isFalse();
        assertThat(parses("now FILE --plna p")).isFalse();
    }

    private static boolean parses(String text) {
        try {
            new CommandLine(new Main()).parseArgs(arguments(text).toArray(String[]::new));
            return true;
        } catch (CommandLine.ParameterException e) {
            return false;
        }
    }

    @Test
    void no_page_or_example_plan_says_an_existing_block_or_kind_is_missing() throws IOException {
        List<Path> files = new ArrayList<>(pages());
        files.addAll(plans());
        List<String> claims = new ArrayList<>();
        for (Path f : files) {
            claims.addAll(claims(f, read(f)));
        }
        assertThat(claims).as("sentences that say an existing block or kind is missing").isEmpty();
    }

    @Test
    void the_claims_that_fell_behind_once_are_caught() {
        assertThat(claims(Path.of("dsl.md"), List.of("Each key may appear once per plan. `drill { }` and `alerts { }` are not supported yet and are",
                "reported as unknown keys."))).hasSize(1);
        assertThat(claims(Path.of("reference.groovy"),
                List.of("// Source and destination kinds registered so far: files (sources), local (destinations)."))).hasSize(1);
        assertThat(claims(Path.of("postgres-gfs.groovy"),
                List.of("    // alerts (failure / stale / anomaly, webhook and email) arrive with the service: see docs/alerts.md when it lands")))
                .hasSize(1);
        assertThat(claims(Path.of("x.md"), List.of("'name = ...' is not supported: write name <value> without '='"))).isEmpty();
    }

    /** Lines that say a block or kind Caravan has is missing; a claim may wrap, so each line is read with the next. */
    static List<String> claims(Path file, List<String> lines) {
        List<String> words = new ArrayList<>(List.of("alerts", "drill", "incremental", "retention", "verify", "encrypt",
                "compress", "schedule", "timezone", "service", "cluster", "sources", "destinations", "label", "email", "webhook"));
        words.addAll(SourceKinds.names());
        words.addAll(DestinationKinds.names());
        List<String> claims = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MISSING.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            String text = (lines.get(i) + " " + (i + 1 < lines.size() ? lines.get(i + 1) : "")).toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (Pattern.compile("(?<![\\w/.-])" + Pattern.quote(w) + "(?![\\w-])").matcher(text).find()) {
                    claims.add(file + ":" + (i + 1) + ": '" + m.group() + "' near '" + w + "': " + lines.get(i).strip());
                    break;
                }
            }
        }
        return claims;
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
