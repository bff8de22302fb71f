package dev.runners.domain;

/** One thing wrong with one named input (a query parameter or a body field). */
public record Violation(String name, String message) {
}
