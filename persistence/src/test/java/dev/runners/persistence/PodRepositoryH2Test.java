package dev.runners.persistence;

class PodRepositoryH2Test extends PodRepositoryContract {
    PodRepositoryH2Test() {
        super(new EmbeddedStore());
    }
}
