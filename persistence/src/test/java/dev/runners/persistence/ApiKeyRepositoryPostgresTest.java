package dev.runners.persistence;

class ApiKeyRepositoryPostgresTest extends ApiKeyRepositoryContract {
    ApiKeyRepositoryPostgresTest() {
        super(new PostgresStore());
    }
}
