package dev.runners.persistence;

class RunnerRepositoryPostgresTest extends RunnerRepositoryContract {
    RunnerRepositoryPostgresTest() {
        super(new PostgresStore());
    }
}
