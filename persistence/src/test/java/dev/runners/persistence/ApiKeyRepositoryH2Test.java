package dev.runners.persistence;

class ApiKeyRepositoryH2Test extends ApiKeyRepositoryContract {
    ApiKeyRepositoryH2Test() {
        super(new EmbeddedStore());
    }
}
