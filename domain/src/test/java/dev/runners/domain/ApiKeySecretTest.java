package dev.runners.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeySecretTest {

    @Test
    void aGeneratedSecretIsWellFormed() {
        assertTrue(ApiKeySecret.wellFormed(ApiKeySecret.generate(new SecureRandom())));
    }

    @Test
    void thePrefixAndThirtyTwoToOneHundredTwentyEightBase62CharactersAreWellFormed() {
        assertTrue(ApiKeySecret.wellFormed("rk_" + "a".repeat(32)));
        assertTrue(ApiKeySecret.wellFormed("rk_" + "Z9".repeat(64)));
        assertTrue(ApiKeySecret.wellFormed("rk_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rk_", "rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "RK_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "xk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-", "rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_",
            "rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u00e9", "rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\uff21",
            "rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ", " rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void anythingElseIsNot(String candidate) {
        assertFalse(ApiKeySecret.wellFormed(candidate));
    }

    @Test
    void moreThanOneHundredTwentyEightCharactersAreNotWellFormed() {
        assertFalse(ApiKeySecret.wellFormed("rk_" + "a".repeat(129)));
        assertFalse(ApiKeySecret.wellFormed(null));
    }

    @Test
    void theHashIsTheHexOfTheSha256OfTheSecret() throws Exception {
        String secret = "rk_" + "b".repeat(40);
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, ApiKeySecret.hash(secret));
        assertEquals(expected, ApiKeySecret.hash(secret));
    }
}
