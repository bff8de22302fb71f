package dev.runners.persistence;

class RunnerRepositoryH2Test extends RunnerRepositoryContract {
    RunnerRepositoryH2Test() {
        super(new EmbeddedStore());
    }
}
