package dev.runners.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class FieldRulesTest {

    @Test
    void promptsCountCodePoints() {
        String emoji = "\uD83D\uDE00";
        assertNull(FieldRules.initialPrompt(emoji.repeat(FieldRules.MAX_PROMPT_CODE_POINTS)));
        assertNotNull(FieldRules.initialPrompt(emoji.repeat(FieldRules.MAX_PROMPT_CODE_POINTS) + "a"));
        assertNull(FieldRules.initialPrompt("漢字".repeat(100)));
    }

    @Test
    void promptsTheDatabaseCannotStoreAreRefused() {
        assertNotNull(FieldRules.initialPrompt("a\u0000b"));
        assertNotNull(FieldRules.initialPrompt("a\uD800b"));
        assertNotNull(FieldRules.initialPrompt("\uDC00"));
    }

    @Test
    void names() {
        assertNull(FieldRules.runnerName("dev-runner-01"));
        assertNull(FieldRules.runnerName("A".repeat(100)));
        assertNotNull(FieldRules.runnerName("A".repeat(101)));
        assertNotNull(FieldRules.runnerName("-x"));
        assertNotNull(FieldRules.runnerName(""));
        assertNotNull(FieldRules.osOrArch("Linux"));
        assertNull(FieldRules.osOrArch("x86_64"));
        assertNotNull(FieldRules.version("1.0\n"));
        assertNull(FieldRules.version("1.2.0 (build 7)"));
        assertNotNull(FieldRules.agentTypeId("Claude"));
        assertNull(FieldRules.slug("acme-corp"));
        assertNotNull(FieldRules.slug("a"));
        assertNotNull(FieldRules.slug("acme--corp"));
        assertNotNull(FieldRules.maxPods(0));
        assertNull(FieldRules.maxPods(1000));
        assertNotNull(FieldRules.maxPods(1001));
    }
}
