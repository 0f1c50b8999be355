package io.consenthub.fields;

/** Key rotations over the embedded default store, one H2 database kept across the three starts. */
class KeyRotationOnH2Test extends KeyRotationContract {

    private final String url = "jdbc:h2:mem:rotation-" + java.util.UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";

    @Override
    String[] store() {
        return new String[] {url, "sa", ""};
    }
}
