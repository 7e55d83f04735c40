package dev.caravan.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Everything one plan file declares. */
public record Config(Path file, List<Plan> plans, ServiceSpec service) {
    public Config {
        plans = List.copyOf(plans);
    }

    public Optional<Plan> plan(String name) {
        return plans.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
