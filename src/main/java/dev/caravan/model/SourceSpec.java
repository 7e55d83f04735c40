package dev.caravan.model;

/** One entry of a plan's {@code sources { }} block, e.g. {@code files('chroma') { path '...' }}. */
public record SourceSpec(String kind, String name, int line, Options options) {
}
