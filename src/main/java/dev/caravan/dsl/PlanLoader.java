package dev.caravan.dsl;

import dev.caravan.dsl.jbang.PlanScriptTransform;
import dev.caravan.model.Config;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyShell;
import groovy.util.DelegatingScript;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a plan file into the immutable {@link Config}. The file is a Groovy script whose base is a
 * {@link DelegatingScript}: every top-level call goes to a {@link FileContext}, and each block's
 * closure runs against its own small context. Every problem is collected before failing.
 */
public final class PlanLoader {
    private static final Pattern QUOTED_INPUT = Pattern.compile("(Unexpected input: )'(.*)'", Pattern.DOTALL);

    private static final String UNCLOSED = "the file ended early: check that every '{' has its '}'"
            + " and every quote is closed";

    private PlanLoader() {
    }

    /** Loads and validates a plan file. Throws PlanException listing every problem found. */
    public static Config load(Path file) throws PlanException {
        return load(file, System::getenv);
    }

    /** Same, with a custom environment lookup (tests). */
    public static Config load(Path file, Function<String, String> env) throws PlanException {
        String fileName = file.getFileName().toString();
        Problems problems = new Problems(fileName);
        if (!Files.isRegularFile(file)) {
            problems.addAt(0, Files.exists(file) ? "not a regular file" : "no such file");
            throw new PlanException(problems.sorted());
        }
        DelegatingScript script;
        try {
            script = compile(file);
        } catch (MultipleCompilationErrorsException e) {
            throw new PlanException(compileProblems(fileName, lineCount(file), e));
        } catch (CompilationFailedException | IOException e) {
            problems.addAt(0, "cannot compile: " + e.getMessage());
            throw new PlanException(problems.sorted());
        }
        problems.scriptClass(script.getClass().getName());
        Path dir = file.toAbsolutePath().getParent();
        FileContext top = new FileContext(new Loading(problems, env, dir));
        script.setDelegate(top);
        try {
            script.run();
        } catch (RuntimeException e) {
            problems.addAt(problems.lineOf(e), Context.describe(e));
        }
        Config config = top.build(file);
        if (!problems.isEmpty()) {
            throw new PlanException(problems.sorted());
        }
        return config;
    }

    private static DelegatingScript compile(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        PlanCache cache = PlanCache.standard();
        String key = cache == null ? null : PlanCache.key(file, content);
        Map<String, byte[]> cached = cache == null ? null : cache.get(key);
        if (cached != null) {
            try (RecordingClassLoader gcl = new RecordingClassLoader(PlanLoader.class.getClassLoader(), configuration())) {
                return (DelegatingScript) PlanCache.define(gcl, cached).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                // a damaged or foreign entry: compile the file as if nothing were cached (and store it again)
            }
        }
        try (RecordingClassLoader gcl = new RecordingClassLoader(PlanLoader.class.getClassLoader(), configuration())) {
            String text = new String(content, StandardCharsets.UTF_8);
            Class<?> type = gcl.parseClass(new GroovyCodeSource(text, file.getFileName().toString(), GroovyShell.DEFAULT_CODE_BASE), false);
            if (cache != null) {
                cache.put(key, gcl.compiled(type.getName()));
            }
            return (DelegatingScript) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate the compiled plan script", e);
        }
    }

    private static CompilerConfiguration configuration() {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(DelegatingScript.class.getName());
        PlanScriptTransform.excludeFrom(cc);   // the plan's DSL body runs here, never the JBang hand-off
        cc.setSourceEncoding("UTF-8");
        cc.addCompilationCustomizers(new Lockdown());
        return cc;
    }

    /** A class loader that keeps the bytes of what it compiled, for {@link PlanCache}. */
    private static final class RecordingClassLoader extends GroovyClassLoader {
        private final Map<String, byte[]> compiled = new LinkedHashMap<>();

        RecordingClassLoader(ClassLoader parent, CompilerConfiguration cc) {
            super(parent, cc);
        }

        /** What the compile produced, the script class first. */
        Map<String, byte[]> compiled(String scriptClass) {
            Map<String, byte[]> ordered = new LinkedHashMap<>();
            byte[] main = compiled.get(scriptClass);
            if (main == null) {
                return Map.of();
            }
            ordered.put(scriptClass, main);
            compiled.forEach(ordered::putIfAbsent);
            return ordered;
        }

        @Override
        protected ClassCollector createCollector(CompilationUnit unit, SourceUnit su) {
            InnerLoader loader = new InnerLoader(this);
            return new ClassCollector(loader, unit, su) {
                @Override
                protected Class<?> createClass(byte[] code, ClassNode classNode) {
                    compiled.put(classNode.getName(), code);
                    return super.createClass(code, classNode);
                }
            };
        }
    }

    private static long lineCount(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Groovy quotes the rest of the file after "Unexpected input:"; its first line is enough. */
    static String shorten(String message) {
        Matcher m = QUOTED_INPUT.matcher(message);
        if (!m.matches()) {
            return message;
        }
        String input = m.group(2);
        int cut = input.indexOf("\\n");
        String head = cut >= 0 ? input.substring(0, cut) : input;
        if (head.length() > 40) {
            head = head.substring(0, 40);
        }
        return m.group(1) + "'" + head + (head.length() < input.length() ? "...'" : "'");
    }

    /** Groovy's compile errors, each keeping Groovy's line, with the column in the message. */
    private static List<Problem> compileProblems(String fileName, long lines, MultipleCompilationErrorsException e) {
        List<? extends Message> errors = e.getErrorCollector().getErrors();
        return errors.stream().map(m -> {
            if (m instanceof SyntaxErrorMessage s) {
                SyntaxException se = s.getCause();
                return new Problem(fileName, se.getLine(),
                        shorten(se.getOriginalMessage().strip()) + " (column " + se.getStartColumn() + ")",
                        se.getLine() > lines ? List.of(UNCLOSED) : List.of());
            }
            if (m instanceof ExceptionMessage x) {
                return new Problem(fileName, 0, String.valueOf(x.getCause().getMessage()), List.of());
            }
            return new Problem(fileName, 0, m.toString(), List.of());
        }).toList();
    }
}
