package dev.caravan.dsl;

import dev.caravan.model.VerifySpec;

import java.util.Map;

/** {@code verify { afterUpload true }}: read every stored copy back and compare its SHA-256 (on by default). */
public final class VerifyContext extends Context {
    private static final Map<String, String> KEYS = Map.of("afterUpload", "afterUpload true");
    private boolean afterUpload = VerifySpec.DEFAULT.afterUpload();

    VerifyContext(Loading loading) {
        super(loading);
    }

    @Override
    String where() {
        return "verify: ";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    public void afterUpload() {
        afterUpload(true);
    }

    public void afterUpload(boolean on) {
        if (once("afterUpload")) {
            afterUpload = on;
        }
    }

    VerifySpec build() {
        return new VerifySpec(afterUpload);
    }
}
