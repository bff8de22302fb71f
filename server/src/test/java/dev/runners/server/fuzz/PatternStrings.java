package dev.runners.server.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Random strings that match a regular expression of the contract ({@code pattern}). Understands the
 * syntax the document uses: anchors, literals, escapes ({@code \x20}, {@code \d}, {@code \w},
 * {@code \s}, {@code \.}), character classes with ranges and negation, groups, alternation and the
 * quantifiers {@code * + ? {n} {n,} {n,m}}. Anything else is refused when the pattern is read, so a new
 * pattern the fuzzer cannot follow is noticed at once rather than skipped.
 */
final class PatternStrings {
    /** Characters a negated class or an unanchored pattern may draw from: ASCII and some far away. */
    private static final int[] ALPHABET = alphabet();

    private final String pattern;
    private final Node root;
    private final boolean anchoredStart;
    private final boolean anchoredEnd;
    private int position;

    private PatternStrings(String pattern) {
        this.pattern = pattern;
        String body = pattern;
        anchoredStart = body.startsWith("^");
        anchoredEnd = body.endsWith("$") && !body.endsWith("\\$");
        this.position = anchoredStart ? 1 : 0;
        this.root = alternation(anchoredEnd ? body.length() - 1 : body.length());
    }

    static PatternStrings of(String pattern) {
        return new PatternStrings(pattern);
    }

    /** A string matching the pattern; repetitions are drawn up to {@code maxRepeat}. */
    String generate(Random random, int maxRepeat) {
        StringBuilder out = new StringBuilder();
        if (!anchoredStart && random.nextInt(4) == 0) {
            out.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        root.emit(random, maxRepeat, out);
        if (!anchoredEnd && random.nextInt(4) == 0) {
            out.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return out.toString();
    }

    private interface Node {
        void emit(Random random, int maxRepeat, StringBuilder out);
    }

    private record Sequence(List<Node> parts) implements Node {
        public void emit(Random random, int maxRepeat, StringBuilder out) {
            parts.forEach(p -> p.emit(random, maxRepeat, out));
        }
    }

    private record Choice(List<Node> options) implements Node {
        public void emit(Random random, int maxRepeat, StringBuilder out) {
            options.get(random.nextInt(options.size())).emit(random, maxRepeat, out);
        }
    }

    private record Repeat(Node node, int min, int max) implements Node {
        public void emit(Random random, int maxRepeat, StringBuilder out) {
            int upper = max < 0 ? Math.max(min, maxRepeat) : max;
            int times = min + (upper > min ? random.nextInt(upper - min + 1) : 0);
            for (int i = 0; i < times; i++) {
                node.emit(random, maxRepeat, out);
            }
        }
    }

    private record CharClass(IntPredicate members) implements Node {
        public void emit(Random random, int maxRepeat, StringBuilder out) {
            int start = random.nextInt(ALPHABET.length);
            for (int i = 0; i < ALPHABET.length; i++) {
                int c = ALPHABET[(start + i) % ALPHABET.length];
                if (members.test(c)) {
                    out.appendCodePoint(c);
                    return;
                }
            }
            throw new IllegalStateException("no character of the alphabet matches a class");
        }
    }

    private Node alternation(int end) {
        List<Node> options = new ArrayList<>();
        options.add(sequence(end));
        while (position < end && pattern.charAt(position) == '|') {
            position++;
            options.add(sequence(end));
        }
        return options.size() == 1 ? options.get(0) : new Choice(options);
    }

    private Node sequence(int end) {
        List<Node> parts = new ArrayList<>();
        while (position < end && pattern.charAt(position) != '|' && pattern.charAt(position) != ')') {
            parts.add(quantified(atom(end)));
        }
        return new Sequence(parts);
    }

    private Node atom(int end) {
        char c = pattern.charAt(position++);
        return switch (c) {
            case '(' -> {
                if (pattern.startsWith("?:", position)) {
                    position += 2;
                }
                Node inner = alternation(end);
                expect(')');
                yield inner;
            }
            case '[' -> characterClass();
            case '\\' -> {
                IntPredicate escaped = escape();
                yield new CharClass(escaped);
            }
            case '.' -> new CharClass(ch -> ch != '\n' && ch != '\r');
            case '*', '+', '?', '{', '^', '$' -> throw unsupported();
            default -> new CharClass(ch -> ch == c);
        };
    }

    private Node quantified(Node atom) {
        if (position >= pattern.length()) {
            return atom;
        }
        char c = pattern.charAt(position);
        Node result = switch (c) {
            case '*' -> new Repeat(atom, 0, -1);
            case '+' -> new Repeat(atom, 1, -1);
            case '?' -> new Repeat(atom, 0, 1);
            case '{' -> {
                int close = pattern.indexOf('}', position);
                String[] bounds = pattern.substring(position + 1, close).split(",", -1);
                int min = Integer.parseInt(bounds[0]);
                int max = bounds.length == 1 ? min : bounds[1].isEmpty() ? -1 : Integer.parseInt(bounds[1]);
                position = close;
                yield new Repeat(atom, min, max);
            }
            default -> null;
        };
        if (result == null) {
            return atom;
        }
        position++;
        return result;
    }

    private Node characterClass() {
        boolean negated = pattern.charAt(position) == '^';
        if (negated) {
            position++;
        }
        IntPredicate members = ch -> false;
        boolean first = true;
        while (pattern.charAt(position) != ']' || first) {
            first = false;
            IntPredicate item;
            int low;
            if (pattern.charAt(position) == '\\') {
                position++;
                int before = position;
                char kind = pattern.charAt(position);
                if ("dDwWsS".indexOf(kind) >= 0) {
                    item = escape();
                    members = members.or(item);
                    continue;
                }
                position = before;
                low = escapedChar();
            } else {
                low = pattern.charAt(position++);
            }
            if (pattern.charAt(position) == '-' && pattern.charAt(position + 1) != ']') {
                position++;
                int high;
                if (pattern.charAt(position) == '\\') {
                    position++;
                    high = escapedChar();
                } else {
                    high = pattern.charAt(position++);
                }
                int from = low;
                int to = high;
                item = ch -> ch >= from && ch <= to;
            } else {
                int single = low;
                item = ch -> ch == single;
            }
            members = members.or(item);
        }
        position++;
        IntPredicate set = members;
        return new CharClass(negated ? set.negate() : set);
    }

    /** After a backslash: a class escape or one character. */
    private IntPredicate escape() {
        char kind = pattern.charAt(position);
        IntPredicate digit = ch -> ch >= '0' && ch <= '9';
        IntPredicate word = digit.or(ch -> ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
        IntPredicate space = ch -> " \t\n\r\f\u000B".indexOf(ch) >= 0;
        IntPredicate predicate = switch (kind) {
            case 'd' -> digit;
            case 'D' -> digit.negate();
            case 'w' -> word;
            case 'W' -> word.negate();
            case 's' -> space;
            case 'S' -> space.negate();
            default -> null;
        };
        if (predicate != null) {
            position++;
            return predicate;
        }
        int c = escapedChar();
        return ch -> ch == c;
    }

    /** After a backslash: {@code \xHH}, {@code \\uHHHH}, a control escape, or the character itself. */
    private int escapedChar() {
        char c = pattern.charAt(position++);
        return switch (c) {
            case 'x' -> {
                int value = Integer.parseInt(pattern.substring(position, position + 2), 16);
                position += 2;
                yield value;
            }
            case 'u' -> {
                int value = Integer.parseInt(pattern.substring(position, position + 4), 16);
                position += 4;
                yield value;
            }
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 'f' -> '\f';
            case 'b', 'B' -> throw unsupported();
            default -> {
                if (Character.isLetterOrDigit(c)) {
                    throw unsupported();
                }
                yield c;
            }
        };
    }

    private void expect(char c) {
        if (position >= pattern.length() || pattern.charAt(position) != c) {
            throw unsupported();
        }
        position++;
    }

    private IllegalArgumentException unsupported() {
        return new IllegalArgumentException("the fuzzer cannot generate strings for the pattern " + pattern
                + " (at " + position + ")");
    }

    private static int[] alphabet() {
        List<Integer> chars = new ArrayList<>();
        for (int c = 0x20; c < 0x7F; c++) {
            chars.add(c);
        }
        // letters, a space and symbols from beyond ASCII, and one beyond the Basic Multilingual Plane
        for (int c : new int[] {0xE9, 0xDF, 0xA0, 0x3A9, 0x416, 0x5D0, 0x627, 0x4E2D, 0x6587, 0x3042, 0x20AC,
                0x2603, 0x1F600, 0x1F680}) {
            chars.add(c);
        }
        return chars.stream().mapToInt(Integer::intValue).toArray();
    }
}
