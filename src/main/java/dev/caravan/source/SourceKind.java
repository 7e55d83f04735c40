package dev.caravan.source;

import dev.caravan.model.SourceSpec;
import dev.caravan.spi.OptionDef;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A kind of source (files, postgres, ...): the DSL name, the options its block accepts, and how to
 * make a {@link Source} from a validated block. Registered in {@link SourceKinds}.
 */
public interface SourceKind {

    /** The DSL word: {@code files}, {@code postgres}, ... */
    String kind();

    /** One sentence for the DSL reference. */
    String description();

    List<OptionDef> options();

    /** The rules {@link #problems} checks, one sentence each, for the DSL reference. */
    default List<String> rules() {
        return List.of();
    }

    /**
     * What makes this block impossible to run, beyond its options' types: options that exclude each
     * other, ranges, values the tool would refuse. One sentence each, without the {@code kind 'name': }
     * prefix. The loader reports them when the plan loads (so {@code check} finds them);
     * {@link #create} refuses such a block with the same sentence. Never touches the network.
     */
    default List<String> problems(SourceSpec spec) {
        return List.of();
    }

    Source create(SourceSpec spec);

    /**
     * Where a drill restores a source of this kind: a temporary database on the source's own server,
     * a private server or a directory, which its restore takes as {@code --to} and its checks measure.
     * Nothing is made on a server before the restore. The default is a temporary directory.
     */
    default Scratch drillScratch(SourceSpec spec) throws IOException {
        return new DirScratch();
    }

    /**
     * What a drill check's query is for this kind, as the DSL's messages name it ({@code SQL}, {@code a
     * redis-cli command ...}); empty when a check of this kind takes no query.
     */
    default Optional<String> drillQuery() {
        return Optional.empty();
    }

    /** Whether {@code check('name', files: true)} counts the regular files a source of this kind restores. */
    default boolean drillCountsFiles() {
        return false;
    }
}
