package dev.runners.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret of an API key: {@code rk_} and 40 random base62 characters. It is shown once; only
 * its SHA-256 is stored (the secret has ~238 bits of entropy, so a fast hash cannot be reversed).
 */
public final class ApiKeySecret {
    public static final String PREFIX = "rk_";
    private static final int RANDOM_LENGTH = 40;
    private static final int SHOWN_PREFIX_LENGTH = PREFIX.length() + 8;
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int MIN_RANDOM_LENGTH = 32;
    private static final int MAX_RANDOM_LENGTH = 128;
    /** Cloned for each hash: looking SHA-256 up among the providers costs more than hashing a secret. */
    private static final MessageDigest SHA_256 = sha256Digest();

    private ApiKeySecret() {
    }

    public static String generate(SecureRandom random) {
        StringBuilder secret = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            secret.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return secret.toString();
    }

    /**
     * Whether {@code candidate} could be a key at all ({@code rk_} and 32 to 128 base62 characters);
     * anything else is refused without a lookup.
     */
    public static boolean wellFormed(String candidate) {
        if (candidate == null || !candidate.startsWith(PREFIX)) {
            return false;
        }
        int random = candidate.length() - PREFIX.length();
        if (random < MIN_RANDOM_LENGTH || random > MAX_RANDOM_LENGTH) {
            return false;
        }
        for (int i = PREFIX.length(); i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    /** The part of a secret that may be shown again, to tell keys apart. */
    public static String shownPrefix(String secret) {
        return secret.substring(0, SHOWN_PREFIX_LENGTH);
    }

    public static String hash(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Compares two secrets in time that does not depend on where they differ. */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(sha256(a), sha256(b));
    }

    private static byte[] sha256(String value) {
        try {
            // the prototype is never updated, so concurrent clones of it are safe
            return ((MessageDigest) SHA_256.clone()).digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the runtime's SHA-256 cannot be cloned", e);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
