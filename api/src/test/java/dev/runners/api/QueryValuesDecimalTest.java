package dev.runners.api;

import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decimal syntax of ids and page values, checked by hand, accepts exactly what its regular expression accepts. */
class QueryValuesDecimalTest {
    private static final Pattern DECIMAL = Pattern.compile(QueryValues.DECIMAL_SYNTAX);

    @Property(tries = 5000)
    void aDecimalIsWhatTheExpressionAccepts(@ForAll("candidates") String value) {
        assertEquals(DECIMAL.matcher(value).matches(), QueryValues.decimal(value), "\"" + value + "\"");
    }

    @Provide
    Arbitrary<String> candidates() {
        return Arbitraries.oneOf(
                // around the 19-digit limit, leading zeros included
                Arbitraries.strings().withChars("0123456789").ofMaxLength(21),
                Arbitraries.strings().withChars("01/:+- \u0660\uFF11").ofMaxLength(4),
                Arbitraries.strings().all().ofMaxLength(3));
    }
}
