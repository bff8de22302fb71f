package dev.runners.persistence;

class EventJournalH2Test extends EventJournalContract {
    EventJournalH2Test() {
        super(new EmbeddedStore());
    }
}
