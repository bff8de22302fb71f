package dev.runners.domain;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The JSON spelling of the lower-case enumerations: the constant's name in lower case. */
final class WireNames {
    /** Each enumeration's constants by wire name, made once: they were spelled out anew for every value read. */
    private static final ClassValue<Map<String, Enum<?>>> BY_NAME = new ClassValue<>() {
        @Override
        protected Map<String, Enum<?>> computeValue(Class<?> type) {
            Map<String, Enum<?>> byName = new HashMap<>();
            for (Object constant : type.getEnumConstants()) {
                byName.put(of((Enum<?>) constant), (Enum<?>) constant);
            }
            return Map.copyOf(byName);
        }
    };

    private WireNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(type.cast(BY_NAME.get(type).get(value)));
    }
}
