package dev.caravan.dsl;

import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;

import java.util.Set;

/**
 * Refuses calls on {@code System} and {@code Runtime} ({@code System.exit}, {@code Runtime.exec}) at
 * compile time, with their line, so a plan file cannot stop or fork the service by accident. Not a
 * sandbox: the plan file is code and is trusted like a shell script.
 */
final class Lockdown extends CompilationCustomizer {
    private static final Set<String> REFUSED = Set.of("java.lang.System", "java.lang.Runtime");

    Lockdown() {
        super(CompilePhase.CANONICALIZATION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                if (call.getObjectExpression() instanceof ClassExpression c && REFUSED.contains(c.getType().getName())) {
                    refuse(c.getType(), call.getMethodAsString(), call.getLineNumber(), call.getColumnNumber());
                }
                super.visitMethodCallExpression(call);
            }

            @Override
            public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
                if (REFUSED.contains(call.getOwnerType().getName())) {
                    refuse(call.getOwnerType(), call.getMethod(), call.getLineNumber(), call.getColumnNumber());
                }
                super.visitStaticMethodCallExpression(call);
            }

            private void refuse(ClassNode type, String method, int line, int column) {
                source.addError(new SyntaxException(type.getNameWithoutPackage() + "." + method
                        + "() is not allowed in a plan file", line, column));
            }
        }.visitClass(classNode);
    }
}
