///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT
//JAVA_OPTIONS --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms32m -Xmx160m -XX:MaxDirectMemorySize=64m -XX:MaxMetaspaceSize=256m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:CompileThresholdScaling=4
//DESCRIPTION Caravan: backs up databases and directories and replicates every backup to several destinations.

/** The JBang entry of Caravan: {@code jbang jbang/Caravan.java VERB FILE [options]}; jbang/caravan runs it. */
class Caravan {
    public static void main(String... args) {
        dev.caravan.cli.Main.main(args);
    }
}
