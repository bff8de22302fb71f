package dev.runners.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

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
    private static final Pattern SHAPE = Pattern.compile("rk_[0-9A-Za-z]{32,128}");
    /** Copied for each hash: a copy costs less than the provider lookup of MessageDigest.getInstance. */
    private static final MessageDigest SHA_256 = newSha256();

    private ApiKeySecret() {
    }

    public static String generate(SecureRandom random) {
        StringBuilder secret = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            secret.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return secret.toString();
    }

    /** Whether {@code candidate} could be a key at all; anything else is refused without a lookup. */
    public static boolean wellFormed(String candidate) {
        return candidate != null && SHAPE.matcher(candidate).matches();
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
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            digest = newSha256();
        }
        return digest.digest(value.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
