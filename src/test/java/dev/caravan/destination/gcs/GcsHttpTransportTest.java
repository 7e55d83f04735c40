package dev.caravan.destination.gcs;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * pom.xml leaves the GCS client's gRPC transport (grpc-netty-shaded, xDS, ALTS, conscrypt, Cloud
 * Monitoring export) off the class path: the JSON-over-HTTP transport that Caravan uses still lists
 * and uploads, here against a loopback HTTP server that answers as the GCS JSON API does.
 */
class GcsHttpTransportTest {

    @Test
    void the_http_transport_lists_and_uploads_without_the_grpc_transport_on_the_class_path() throws Exception {
        assertThatThrownBy(() -> Class.forName("io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.grpc.xds.XdsNameResolverProvider")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.conscrypt.Conscrypt")).isInstanceOf(ClassNotFoundException.class);

        List<String> requests = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            String body = ex.getRequestMethod().equals("GET")
                    ? "{\"kind\":\"storage#objects\",\"items\":[{\"kind\":\"storage#object\",\"name\":\"a\",\"bucket\":\"bkt\",\"size\":\"3\"}]}"
                    : "{\"kind\":\"storage#object\",\"name\":\"x\",\"bucket\":\"bkt\",\"size\":\"3\"}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            Storage storage = StorageOptions.newBuilder().setProjectId("p")
                    .setHost("http://127.0.0.1:" + server.getAddress().getPort())
                    .setCredentials(NoCredentials.getInstance())
                    // the HTTP transport by name: on Caravan's run-time class path it is what
                    // StorageOptions.newBuilder() picks anyway, but on this test class path (with
                    // google-cloud-nio's testing helpers) the default sent no request to the server
                    .setServiceRpcFactory(new com.google.cloud.storage.HttpStorageOptions.HttpStorageRpcFactory())
                    .build().getService();
            List<String> names = new ArrayList<>();
            for (Blob blob : storage.list("bkt").iterateAll()) {
                names.add(blob.getName());
            }
            assertThat(names).as("%s", requests).containsExactly("a");
            assertThat(storage.create(BlobInfo.newBuilder("bkt", "x").build(), "abc".getBytes(StandardCharsets.UTF_8)).getName())
                    .isEqualTo("x");
            assertThat(requests).containsExactly("GET /storage/v1/b/bkt/o", "POST /upload/storage/v1/b/bkt/o");
        } finally {
            server.stop(0);
        }
    }
}
