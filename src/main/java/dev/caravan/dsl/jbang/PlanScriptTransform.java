package dev.caravan.dsl.jbang;

import static org.codehaus.groovy.ast.tools.GeneralUtils.args;
import static org.codehaus.groovy.ast.tools.GeneralUtils.callX;
import static org.codehaus.groovy.ast.tools.GeneralUtils.constX;
import static org.codehaus.groovy.ast.tools.GeneralUtils.stmt;
import static org.codehaus.groovy.ast.tools.GeneralUtils.varX;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.transform.ASTTransformation;
import org.codehaus.groovy.transform.GroovyASTTransformation;

/**
 * Makes {@code jbang plan.groovy VERB} work. A plan file is DSL, not a runnable script; when JBang
 * compiles one (with groovyc, to class files), this global transformation replaces the script's body
 * with {@code dev.caravan.cli.Main.runScript("<the plan's absolute path>", args)}, so the compiled
 * script hands the file to Caravan, whose own loader then reads it (same lines, same validation).
 *
 * <p>It acts only on a script that starts with JBang's header line {@code ///usr/bin/env jbang},
 * has a {@code //DEPS} line naming {@code dev.caravan:caravan}, and is compiled to a target directory
 * (groovyc {@code -d}, as JBang does). Caravan's own plan loader compiles in memory and, to be explicit,
 * switches this transformation off with {@link #excludeFrom(CompilerConfiguration)}.
 */
@GroovyASTTransformation(phase = CompilePhase.CONVERSION)
public final class PlanScriptTransform implements ASTTransformation {

    static final String MAIN_CLASS = "dev.caravan.cli.Main";
    private static final Pattern HEADER = Pattern.compile("^///usr/bin/env\\s+jbang\\b.*");
    private static final Pattern CARAVAN_DEPS = Pattern.compile("^//DEPS\\s.*\\bdev\\.caravan:caravan(:|\\s|$).*");
    private static final String DONE = PlanScriptTransform.class.getName() + ".done";

    /** Switches this transformation off for compilations with {@code config} (Caravan's plan loader). */
    public static CompilerConfiguration excludeFrom(CompilerConfiguration config) {
        Set<String> disabled = new HashSet<>(config.getDisabledGlobalASTTransformations() == null
                ? Set.of() : config.getDisabledGlobalASTTransformations());
        disabled.add(PlanScriptTransform.class.getName());
        config.setDisabledGlobalASTTransformations(disabled);
        return config;
    }

    @Override
    public void visit(ASTNode[] nodes, SourceUnit source) {
        ModuleNode module = source.getAST();
        if (module == null || module.getNodeMetaData(DONE) != null) {
            return;
        }
        module.putNodeMetaData(DONE, Boolean.TRUE);
        if (source.getConfiguration().getTargetDirectory() == null || !isCaravanPlan(source)) {
            return;
        }
        String planFile = new File(source.getName()).getAbsolutePath();
        BlockStatement body = module.getStatementBlock();
        body.getStatements().clear();
        body.addStatement(stmt(callX(ClassHelper.make(MAIN_CLASS), "runScript",
                args(constX(planFile), varX("args")))));
    }

    /** A script with JBang's header line first and a {@code //DEPS} on Caravan. */
    static boolean isCaravanPlan(SourceUnit source) {
        try (Reader reader = source.getSource().getReader();
             BufferedReader lines = new BufferedReader(reader)) {
            String first = lines.readLine();
            if (first == null || !HEADER.matcher(first.strip()).matches()) {
                return false;
            }
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (CARAVAN_DEPS.matcher(line.strip()).matches()) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
