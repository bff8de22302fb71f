package dev.runners.persistence;

class RunnerStatusRulePostgresTest extends RunnerStatusRuleContract {
    RunnerStatusRulePostgresTest() {
        super(new PostgresStore());
    }
}
