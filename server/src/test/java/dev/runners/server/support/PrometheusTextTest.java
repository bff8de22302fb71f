package dev.runners.server.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrometheusTextTest {
    private static final String HISTOGRAM = """
            # HELP d_seconds Time.
            # TYPE d_seconds histogram
            d_seconds_bucket{op="a",le="0.1",} 1.0
            d_seconds_bucket{op="a",le="+Inf",} 2.0
            d_seconds_count{op="a",} 2.0
            d_seconds_sum{op="a",} 0.3
            # TYPE c_total counter
            c_total{q="x \\"y\\" \\\\ z"} 3 1700000000000
            """;

    @Test
    void readsFamiliesLabelsAndValues() {
        PrometheusText text = PrometheusText.parse(HISTOGRAM);
        assertEquals("histogram", text.family("d_seconds").type());
        assertEquals("Time.", text.family("d_seconds").help());
        assertEquals(2.0, text.value("d_seconds_count", "op", "a").orElseThrow());
        assertEquals(3.0, text.value("c_total", "q", "x \"y\" \\ z").orElseThrow());
    }

    @Test
    void refusesWhatTheFormatDoesNotAllow() {
        for (String bad : new String[] {
                "x{a=\"1\"} 1",                                       // no final line feed
                "x{a=1} 1\n",                                         // unquoted label value
                "x{a=\"1\"}1\n",                                      // no space before the value
                "x 1 2 3\n",                                          // too many fields
                "x one\n",                                            // not a number
                "9x 1\n",                                             // bad name
                "x 1\ny 1\nx 2\n",                                    // family not contiguous
                "x{a=\"1\"} 1\nx{a=\"1\"} 2\n",                       // series twice
                "# TYPE c_total counter\nc_total -1\n",               // negative counter
                "# TYPE x wrong\n",                                   // unknown type
                HISTOGRAM.replace("le=\"+Inf\",} 2.0", "le=\"+Inf\",} 3.0"),   // +Inf differs from count
                HISTOGRAM.replace("le=\"0.1\",} 1.0", "le=\"0.1\",} 5.0"),     // not cumulative
                HISTOGRAM.replace("d_seconds_sum", "d_seconds"),               // stray histogram sample
        }) {
            assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(bad), bad);
        }
    }
}
