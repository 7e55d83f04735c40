package dev.caravan.io;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key and trust material from the files operators have: a PEM certificate chain and its PKCS#8
 * key (what certbot and {@code openssl req -newkey} write), a PKCS#12/JKS keystore, or a PEM file
 * of CA certificates to trust. Every failure is one sentence naming the file.
 */
public final class Tls {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private Tls() {
    }

    /** A key store holding the server key and its chain from a PEM pair. */
    public static KeyStore fromPem(Path certificate, Path key) throws IOException {
        List<Certificate> chain = certificates(certificate);
        PrivateKey pk = privateKey(key);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", pk, NO_PASSWORD, chain.toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException(key + ": the key does not go with the certificate in " + certificate + ": " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 or JKS key store file. */
    public static KeyStore keystore(Path file, char[] password) throws IOException {
        readable(file, "keystore");
        for (String type : new String[] {"PKCS12", "JKS"}) {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore ks = KeyStore.getInstance(type);
                ks.load(in, password);
                return ks;
            } catch (GeneralSecurityException | IOException e) {
                if (e.getCause() instanceof java.security.UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                    throw new IOException(file + ": wrong keystore password", e);
                }
            }
        }
        throw new IOException(file + ": not a PKCS#12 or JKS keystore");
    }

    /** A server SSL context from a key store (its entries' passwords are the store's, or none). */
    public static SSLContext server(KeyStore ks, char[] password) throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password == null ? NO_PASSWORD : password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key: " + e.getMessage(), e);
        }
    }

    /** A trust store holding every certificate of a PEM file (CA certificates, or a self-signed server's own). */
    public static KeyStore trustStore(Path pem) throws IOException {
        List<Certificate> certs = certificates(pem);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                ks.setCertificateEntry("ca-" + i, certs.get(i));
            }
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": " + e.getMessage(), e);
        }
    }

    /** An SSL context of a client that trusts exactly the certificates of a PEM file. */
    public static SSLContext client(Path trustPem) throws IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(trustPem));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(trustPem + ": " + e.getMessage(), e);
        }
    }

    static List<Certificate> certificates(Path pem) throws IOException {
        readable(pem, "certificate file");
        try (InputStream in = Files.newInputStream(pem)) {
            List<Certificate> certs = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certs.isEmpty()) {
                throw new IOException(pem + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": not a PEM certificate: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(Path pem) throws IOException {
        readable(pem, "key file");
        Matcher m = PEM.matcher(Files.readString(pem, StandardCharsets.US_ASCII));
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
                    try {
                        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException e) {
                        // try the next algorithm
                    }
                }
                throw new IOException(pem + ": a PKCS#8 key of an algorithm Java does not know");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new IOException(pem + ": a " + type + " (not PKCS#8); convert it with"
                        + " 'openssl pkcs8 -topk8 -nocrypt -in " + pem.getFileName() + " -out key.pem'");
            }
        }
        throw new IOException(pem + ": holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static void readable(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException(file + ": " + what + " not found or not readable");
        }
    }
}
