package dev.caravan.destination.local;

import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LocalDestinationTest extends DestinationContract {

    @Override
    protected Destination newDestination() {
        return new LocalDestination("nas", scratch.resolve("nas"));
    }

    /** Camel's file producer writes {@code <dir>/.partial-<name>} and renames it when done. */
    @Override
    protected boolean leavePartialWrite(Destination d, String key) throws Exception {
        Path p = ((LocalDestination) d).root().resolve(key);
        Path partial = p.resolveSibling(LocalDestination.TEMP_PREFIX + p.getFileName());
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, "half");
        return true;
    }

    @Test
    void a_file_left_in_flight_is_not_listed_but_is_listed_as_partial_and_removed() throws Exception {
        LocalDestination d = (LocalDestination) newDestination();
        Path partial = d.root().resolve("p/1/" + LocalDestination.TEMP_PREFIX + "a.tar");
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, "half");

        assertThat(d.list("")).isEmpty();
        assertThat(d.listPartial("p/")).containsExactly(new Destination.StoredObject("p/1/" + LocalDestination.TEMP_PREFIX + "a.tar", 4));
        d.deletePartial("p/1/" + LocalDestination.TEMP_PREFIX + "a.tar");
        assertThat(partial).doesNotExist();
        assertThat(d.root().resolve("p")).doesNotExist();
    }

    @Test
    void a_key_that_escapes_the_root_is_refused() {
        Destination d = newDestination();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.open("../etc/passwd"))
                .hasMessageContaining("escapes");
    }
}
