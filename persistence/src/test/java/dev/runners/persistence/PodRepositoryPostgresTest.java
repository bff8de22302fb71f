package dev.runners.persistence;

class PodRepositoryPostgresTest extends PodRepositoryContract {
    PodRepositoryPostgresTest() {
        super(new PostgresStore());
    }
}
