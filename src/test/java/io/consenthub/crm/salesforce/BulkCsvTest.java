package io.consenthub.crm.salesforce;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 4180 as Bulk API 2.0 writes it: quoted fields with commas, quotes and line breaks, empty fields as null. */
class BulkCsvTest {

    private static List<List<String>> read(String csv) {
        var reader = new BulkCsv(new StringReader(csv));
        var records = new ArrayList<List<String>>();
        for (List<String> record = reader.next(); record != null; record = reader.next()) {
            records.add(record);
        }
        return records;
    }

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() {
        assertThat(read("\"Id\",\"LastName\"\n\"003A\",\"O'Brien, \"\"Jr.\"\"\nsecond line\"\n"))
                .containsExactly(List.of("Id", "LastName"), List.of("003A", "O'Brien, \"Jr.\"\nsecond line"));
    }

    @Test
    void emptyFieldsQuotedOrNotAreNull() {
        assertThat(read("a,\"\",,\"x\"\n")).containsExactly(Arrays.asList("a", null, null, "x"));
        assertThat(read("a,\n")).containsExactly(Arrays.asList("a", null));
    }

    @Test
    void crlfAndAMissingFinalLineBreakEndRecords() {
        assertThat(read("a,b\r\nc,\"d\r\ne\"\r\nf,g")).containsExactly(List.of("a", "b"), List.of("c", "d\r\ne"), List.of("f", "g"));
    }

    @Test
    void nonAsciiTextIsKept() {
        assertThat(read("\"Zoë Ångström\",\"李\"\n")).containsExactly(List.of("Zoë Ångström", "李"));
    }

    @Test
    void anUnclosedQuoteOrTextAfterAQuotedFieldIsMalformed() {
        assertThatThrownBy(() -> read("\"a,b\n")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> read("\"a\"b,c\n")).hasMessageContaining("after a quoted field");
        assertThatThrownBy(() -> read("a\"b,c\n")).hasMessageContaining("quote inside");
    }
}
