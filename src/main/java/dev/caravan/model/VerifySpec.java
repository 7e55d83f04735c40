package dev.caravan.model;

/** {@code verify { afterUpload true }}: read every stored copy back and compare its SHA-256. */
public record VerifySpec(boolean afterUpload) {
    public static final VerifySpec DEFAULT = new VerifySpec(true);
}
