package dev.caravan.model;

/** One entry of a plan's {@code destinations { }} block, e.g. {@code local('nas') { path '...' }}. */
public record DestinationSpec(String kind, String name, int line, Options options) {
}
