package dev.runners.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import io.helidon.dbclient.DbRow;

/**
 * Reading and writing of column values that the two JDBC drivers represent differently.
 * Values are read with {@code get(Object.class)}: it is the DB Client accessor that accepts SQL NULL.
 */
final class Columns {
    private Columns() {
    }

    static Instant instant(DbRow row, String column) {
        Object value = row.column(column).get(Object.class);
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof ZonedDateTime zdt) {
            return zdt.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getName() + " in " + column);
    }

    /** A timestamp parameter; both drivers take an OffsetDateTime for TIMESTAMP WITH TIME ZONE. */
    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static String string(DbRow row, String column) {
        Object value = row.column(column).get(Object.class);
        return value == null ? null : value.toString();
    }

    static long longValue(DbRow row, String column) {
        return ((Number) row.column(column).get(Object.class)).longValue();
    }

    static int intValue(DbRow row, String column) {
        return ((Number) row.column(column).get(Object.class)).intValue();
    }

    static boolean bool(DbRow row, String column) {
        return (Boolean) row.column(column).get(Object.class);
    }

    static boolean isNull(DbRow row, String column) {
        return row.column(column).get(Object.class) == null;
    }

    /** A column of a result set read by {@link Database#readRows}; both drivers map TIMESTAMP WITH TIME ZONE so. */
    static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
