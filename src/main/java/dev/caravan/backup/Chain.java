package dev.caravan.backup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The chain of an incremental backup: its full, then each incremental up to it, following the
 * manifests' {@code parent}. A full's chain is itself.
 */
public final class Chain {
    private Chain() {
    }

    /** A backup a chain needs that is not there. */
    public static final class Broken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Broken(String message) {
            super(message);
        }
    }

    /** The backups to apply, oldest (the full) first and {@code last} last. */
    public static List<Catalog.Backup> of(Catalog catalog, Catalog.Backup last) {
        return of(last, id -> catalog.find(id).orElse(null));
    }

    /** Same, over any look-up (e.g. the backups at one destination); throws {@link Broken} when a link is missing. */
    public static List<Catalog.Backup> of(Catalog.Backup last, Function<String, Catalog.Backup> byId) {
        List<Catalog.Backup> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Catalog.Backup b = last;
        while (true) {
            if (!seen.add(b.id())) {
                throw new Broken("backup " + last.id() + ": its chain loops at " + b.id());
            }
            chain.add(b);
            if (!b.manifest().incremental()) {
                break;
            }
            String parent = b.manifest().parent();
            Catalog.Backup p = parent == null ? null : byId.apply(parent);
            if (p == null) {
                throw new Broken("backup " + last.id() + " needs " + (parent == null ? "a parent" : parent)
                        + " (its chain's previous backup), which is not there");
            }
            b = p;
        }
        Collections.reverse(chain);
        return chain;
    }

    /** The ids each backup needs (its ancestors), for backups given by id. Missing ancestors are skipped. */
    public static Set<String> ancestors(Catalog.Backup b, Map<String, Catalog.Backup> byId) {
        Set<String> needed = new HashSet<>();
        Catalog.Backup cur = b;
        while (cur.manifest().incremental() && cur.manifest().parent() != null && needed.add(cur.manifest().parent())) {
            cur = byId.get(cur.manifest().parent());
            if (cur == null) {
                break;
            }
        }
        return needed;
    }
}
