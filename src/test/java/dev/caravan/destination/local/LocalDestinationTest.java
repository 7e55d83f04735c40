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

    @Test
    void a_file_left_in_flight_is_not_listed_and_is_cleaned_up() throws Exception {
        LocalDestination d = (LocalDestination) newDestination();
        Path partial = d.root().resolve("p/1/" + LocalDestination.TEMP_PREFIX + "a.tar");
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, "half");

        assertThat(d.list("")).isEmpty();
        assertThat(d.removeLeftovers()).containsExactly("p/1/" + LocalDestination.TEMP_PREFIX + "a.tar");
        assertThat(partial).doesNotExist();
    }

    @Test
    void a_key_that_escapes_the_root_is_refused() {
        Destination d = newDestination();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.open("../etc/passwd"))
                .hasMessageContaining("escapes");
    }
}
