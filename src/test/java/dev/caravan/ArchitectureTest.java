package dev.caravan;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layering, checked on the compiled main classes: no package cycles, no upward
 * imports, and a source or destination kind is one folder that only its registry knows.
 */
@AnalyzeClasses(packages = "dev.caravan", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * The layers, top first. A package may import its own layer and the layers below it, never one
     * above. A package under {@code dev.caravan} that is not listed fails the test until it is placed.
     */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("cli"),                                        // one picocli class per verb
            Set.of("service"),                                    // caravan run: schedules, HTTP, cluster
            Set.of("drill", "wal", "alert"),                      // jobs built on the pipeline
            Set.of("pipeline"),                                   // Engine, BackupRunner, Publisher
            Set.of("dsl"),                                        // plan file -> model; reads the kinds' options
            Set.of("audit", "backup"),                            // what a destination holds, pruning, unpacking
            Set.of("verify"),                                     // read back and compare
            Set.of("destination", "source", "retention", "lock"), // the kinds and pure decisions
            Set.of("format", "spi"),                              // compressors, age, option schema
            Set.of("io", "model"));                               // streams, records

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.caravan.(*)..")
            .should().beFreeOfCycles();

    static final ArchRule NO_UPWARD_IMPORTS = classes().that().resideInAPackage("dev.caravan..")
            .should(new ArchCondition<JavaClass>("import only their own layer and the layers below it") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    int from = layer(c);
                    if (from < 0) {
                        events.add(SimpleConditionEvent.violated(c, c.getName() + " is in package " + top(c)
                                + ", which ArchitectureTest.LAYERS does not place"));
                        return;
                    }
                    for (Dependency d : c.getDirectDependenciesFromSelf()) {
                        int to = layer(d.getTargetClass());
                        if (to >= 0 && to < from) {
                            events.add(SimpleConditionEvent.violated(d, "upward import: " + d.getDescription()
                                    + " (" + top(c) + " is below " + top(d.getTargetClass()) + ")"));
                        }
                    }
                }
            });

    static final ArchRule A_KIND_IS_ONE_FOLDER = classes().that().resideInAPackage("dev.caravan..")
            .should(new ArchCondition<JavaClass>("use a source or destination kind's folder only from inside it or from its registry") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    if (Set.of("dev.caravan.source.SourceKinds", "dev.caravan.destination.DestinationKinds").contains(c.getName())) {
                        return;
                    }
                    String own = kindFolder(c);
                    for (Dependency d : c.getDirectDependenciesFromSelf()) {
                        String target = kindFolder(d.getTargetClass());
                        if (target != null && !target.equals(own)) {
                            events.add(SimpleConditionEvent.violated(d, "outside its kind's folder: " + d.getDescription()
                                    + "; go through the SourceKind/Source (DestinationKind/Destination) interfaces"));
                        }
                    }
                }
            });

    /** The kinds' shared helpers ({@code source/tool}) are open to every kind. */
    static final ArchRule KINDS_SHARE_ONLY_SOURCE_TOOL = slices().matching("dev.caravan.source.(*)..")
            .should().notDependOnEachOther()
            .ignoreDependency(alwaysTrue(), resideInAPackage("dev.caravan.source.tool.."));

    // Run as methods, not as @ArchTest fields: surefire 3.5.3 does not run field rules (TNG/ArchUnit#1442).
    @ArchTest
    void no_package_cycles(JavaClasses classes) {
        NO_PACKAGE_CYCLES.check(classes);
    }

    @ArchTest
    void no_upward_imports(JavaClasses classes) {
        NO_UPWARD_IMPORTS.check(classes);
    }

    @ArchTest
    void a_kind_is_one_folder(JavaClasses classes) {
        A_KIND_IS_ONE_FOLDER.check(classes);
    }

    @ArchTest
    void kinds_share_only_source_tool(JavaClasses classes) {
        KINDS_SHARE_ONLY_SOURCE_TOOL.check(classes);
    }

    /** {@code dev.caravan.source.postgres} for a class in that folder or below it; null outside the kinds' folders. */
    static String kindFolder(JavaClass c) {
        String p = c.getPackageName();
        for (String base : List.of("dev.caravan.source.", "dev.caravan.destination.")) {
            if (p.startsWith(base)) {
                String kind = p.substring(base.length()).split("\\.")[0];
                return kind.equals("tool") ? null : base + kind;
            }
        }
        return null;
    }

    /** The first package under {@code dev.caravan}: {@code source} for {@code dev.caravan.source.postgres.X}. */
    static String top(JavaClass c) {
        String p = c.getPackageName();
        if (!p.startsWith("dev.caravan.")) {
            return p.equals("dev.caravan") ? "" : null;
        }
        return p.substring("dev.caravan.".length()).split("\\.")[0];
    }

    /** The index in {@link #LAYERS} (0 is the top); -1 for a class outside them (a library's, or unplaced). */
    static int layer(JavaClass c) {
        String top = top(c);
        if (top == null) {
            return -1;
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(top)) {
                return i;
            }
        }
        return -1;
    }
}
