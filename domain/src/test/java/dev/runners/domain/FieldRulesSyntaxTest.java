package dev.runners.domain;

import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each syntax, checked by hand, accepts exactly what its regular expression (the contract's pattern) accepts. */
class FieldRulesSyntaxTest {
    /** Every character any syntax treats specially, and its neighbours in the character table. */
    private static final String EDGES = "aAzZ09`{@[/:.-_~ !\u001f\u007f\u0080é\u00a0\uD83D\uDE00\u0000";
    /** Mostly what the syntaxes accept, so that the whole of a string often does (or nearly). */
    private static final String ACCEPTED = "aZ0._-";

    @Property(tries = 5000)
    void eachSyntaxAcceptsWhatItsExpressionAccepts(@ForAll("candidates") String value) {
        for (FieldRules.Syntax syntax : FieldRules.Syntax.values()) {
            assertEquals(Pattern.matches(syntax.expression, value), syntax.matches(value), syntax + " of \"" + value + "\"");
        }
    }

    @Provide
    Arbitrary<String> candidates() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars(ACCEPTED).ofMaxLength(6),
                Arbitraries.strings().withChars("a0-").ofMaxLength(6),
                Arbitraries.strings().withChars(EDGES).ofMaxLength(8),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(4));
    }
}
