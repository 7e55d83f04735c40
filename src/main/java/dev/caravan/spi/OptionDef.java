package dev.caravan.spi;

import java.util.List;

/**
 * One option a source or destination block accepts. Declared once, beside the kind that uses it;
 * the DSL loader validates against it and the DSL reference is generated from it.
 *
 * @param name     the DSL key, e.g. {@code path}
 * @param type     how the value is converted and checked
 * @param required whether a block without it is an error
 * @param doc      one sentence for the reference
 * @param example  the value as written in the DSL, e.g. {@code '/data/app'}
 */
public record OptionDef(String name, Type type, boolean required, String doc, String example) {

    public enum Type {
        /** A string. */
        STRING,
        /** One or more strings; repeated calls add up: {@code exclude '*.log', 'cache/**'}. */
        STRINGS,
        /** A whole number. */
        INT,
        /** true or false; the bare key ({@code schemaOnly}) means true. */
        BOOLEAN,
        /** A string that may come from env() or secret(); never printed. */
        SECRET,
        /** A file or directory; a relative path is taken from the plan file's directory. */
        PATH
    }

    public static OptionDef required(String name, Type type, String doc, String example) {
        return new OptionDef(name, type, true, doc, example);
    }

    public static OptionDef optional(String name, Type type, String doc, String example) {
        return new OptionDef(name, type, false, doc, example);
    }

    public static List<String> names(List<OptionDef> defs) {
        return defs.stream().map(OptionDef::name).toList();
    }
}
