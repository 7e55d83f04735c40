package dev.caravan.model;

/** {@code service { http port: 9091 }}; port 0 means no HTTP endpoint. */
public record ServiceSpec(int httpPort) {
    public static final ServiceSpec DEFAULT = new ServiceSpec(0);
}
