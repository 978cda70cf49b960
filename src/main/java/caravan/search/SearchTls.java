package caravan.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which server certificates Caravan trusts on https:// URLs: the JDK's CAs by default, the CA
 * certificate(s) of a PEM file ({@code caravan.elasticsearch.ca-file}), or a certificate in the
 * chain whose SHA-256 fingerprint is given ({@code caravan.elasticsearch.ca-fingerprint}, as
 * Elasticsearch prints it at first start). Host names are verified in every case.
 */
public final class SearchTls {
    private SearchTls() {
    }

    /** The SSL context for the settings, or null for the JDK's default trust. */
    public static SSLContext context(String caFile, String fingerprint) {
        boolean hasFile = caFile != null && !caFile.isBlank();
        boolean hasFingerprint = fingerprint != null && !fingerprint.isBlank();
        if (hasFile && hasFingerprint) {
            throw new IllegalArgumentException("set caravan.elasticsearch.ca-file or caravan.elasticsearch.ca-fingerprint, not both");
        }
        try {
            TrustManager[] trust;
            if (hasFile) {
                trust = fromPem(Path.of(caFile.trim()));
            } else if (hasFingerprint) {
                trust = new TrustManager[] {new FingerprintTrust(normalise(fingerprint), jdkDefault())};
            } else {
                return null;
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS for the search engine: " + e.getMessage(), e);
        }
    }

    /** For {@code caravan.elasticsearch.tls-verify=false} only: trusts any certificate. */
    public static SSLContext trustAnything() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new ServerTrust() {
                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // verification switched off by the operator, who was warned in the log
                }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex without separators; refuses anything that is not 32 bytes of hex. */
    static String normalise(String fingerprint) {
        String hex = fingerprint.replace(":", "").replace(" ", "").trim().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("caravan.elasticsearch.ca-fingerprint must be a SHA-256 fingerprint "
                    + "(64 hex digits, colons allowed), got '" + fingerprint.trim() + "'");
        }
        return hex;
    }

    public static String sha256(Certificate cert) throws CertificateException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustManager[] fromPem(Path file) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("caravan.elasticsearch.ca-file " + file + " holds no PEM certificate");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read caravan.elasticsearch.ca-file " + file + ": " + e.getMessage(), e);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private static X509TrustManager jdkDefault() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager t : tmf.getTrustManagers()) {
            if (t instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager in this JDK");
    }

    /** Trusts a chain that holds the pinned certificate; otherwise what the JDK trusts. */
    static final class FingerprintTrust extends ServerTrust {
        private final String pinned;
        private final X509TrustManager fallback;

        FingerprintTrust(String pinned, X509TrustManager fallback) {
            this.pinned = pinned;
            this.fallback = fallback;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            for (X509Certificate c : chain) {
                if (sha256(c).equals(pinned)) {
                    chain[0].checkValidity();
                    return;
                }
            }
            try {
                fallback.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw new CertificateException("no certificate in the server's chain has the SHA-256 fingerprint set in "
                        + "caravan.elasticsearch.ca-fingerprint, and the JDK does not trust it either", e);
            }
        }

    }

    /** A client-side trust manager: it judges servers only. */
    abstract static class ServerTrust implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
