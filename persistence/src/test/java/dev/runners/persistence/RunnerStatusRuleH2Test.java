package dev.runners.persistence;

class RunnerStatusRuleH2Test extends RunnerStatusRuleContract {
    RunnerStatusRuleH2Test() {
        super(new EmbeddedStore());
    }
}
