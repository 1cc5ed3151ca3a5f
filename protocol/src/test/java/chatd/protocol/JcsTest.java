package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JcsTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static JsonNode parse(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    /** RFC 8785 Appendix B: IEEE-754 bit patterns and their ECMAScript serialisation. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
    })
    void numbers_follow_the_rfc_8785_table(String ieeeHex, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));
        assertThat(Jcs.canonicalString(NODES.numberNode(value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1e21, 1e+21",
        "1e-7, 1e-7",
        "1e-6, 0.000001",
        "123456789012345680000, 123456789012345680000",
        "-1.5, -1.5",
        "0.1, 0.1",
        "100, 100",
        "4.50, 4.5",
        "2e-3, 0.002",
        "1E30, 1e+30",
        "-0.0, 0",
        "9007199254740993, 9007199254740992",
        "18446744073709551616, 18446744073709552000",
    })
    void parsed_numbers_are_written_as_the_double_they_denote(String json, String expected) throws Exception {
        assertThat(Jcs.canonicalString(parse(json))).isEqualTo(expected);
    }

    @Test
    void every_numeric_node_type_means_its_double() {
        assertThat(Jcs.canonicalString(NODES.numberNode(42))).isEqualTo("42");
        assertThat(Jcs.canonicalString(NODES.numberNode(-42L))).isEqualTo("-42");
        assertThat(Jcs.canonicalString(NODES.numberNode((short) 7))).isEqualTo("7");
        assertThat(Jcs.canonicalString(NODES.numberNode(new BigDecimal("1.250")))).isEqualTo("1.25");
        assertThat(Jcs.canonicalString(NODES.numberNode(BigInteger.TEN.pow(21)))).isEqualTo("1e+21");
        assertThat(Jcs.canonicalString(NODES.numberNode(0.5f))).isEqualTo("0.5");
    }

    @ParameterizedTest
    @CsvSource({"NaN", "Infinity", "-Infinity"})
    void non_finite_numbers_are_refused(double value) {
        assertThatThrownBy(() -> Jcs.canonicalize(NODES.numberNode(value)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** RFC 8785 §3.2.2: the sample input and its canonical form. */
    @Test
    void rfc_8785_sample_object() throws Exception {
        JsonNode input = parse("""
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""");
        assertThat(Jcs.canonicalString(input)).isEqualTo(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    /** RFC 8785 §3.2.3: keys sort by UTF-16 code units, so the emoji's surrogate sorts before U+FB33. */
    @Test
    void rfc_8785_sorting_example() throws Exception {
        JsonNode input = parse("""
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""");
        assertThat(Jcs.canonicalString(input)).isEqualTo("{"
                + "\"\\r\":\"Carriage Return\","
                + "\"1\":\"One\","
                + "\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\""
                + "}");
    }

    @Test
    void bytes_are_the_utf8_of_the_canonical_string() throws Exception {
        JsonNode input = parse("{\"b\":\"\u20ac\",\"a\":[1, 2]}");
        assertThat(Jcs.canonicalize(input))
                .isEqualTo("{\"a\":[1,2],\"b\":\"\u20ac\"}".getBytes(StandardCharsets.UTF_8))
                .hasSize(21); // the euro sign is three bytes
    }

    @Test
    void key_order_and_whitespace_do_not_change_the_bytes() throws Exception {
        JsonNode one = parse("{\"to\":\"#general\",\"meta\":{\"z\":1,\"a\":[true,null]},\"id\":\"x\"}");
        JsonNode two = parse("{ \"id\" : \"x\",\n \"meta\": {\"a\": [true, null], \"z\": 1.0}, \"to\": \"#general\" }");
        assertThat(Jcs.canonicalize(one)).isEqualTo(Jcs.canonicalize(two));
        assertThat(Jcs.canonicalString(one)).isEqualTo("{\"id\":\"x\",\"meta\":{\"a\":[true,null],\"z\":1},\"to\":\"#general\"}");
    }

    @Test
    void members_left_out_are_left_out_at_the_top_level_only() throws Exception {
        JsonNode event = parse("{\"sig\":\"s\",\"id\":\"x\",\"hops\":3,\"envelope\":{\"hops\":1,\"sig\":\"inner\"}}");
        com.fasterxml.jackson.databind.node.ObjectNode copy = (com.fasterxml.jackson.databind.node.ObjectNode) event.deepCopy();
        copy.remove(java.util.List.of("sig", "hops"));

        assertThat(Jcs.canonicalizeWithout(event, java.util.Set.of("sig", "hops"))).isEqualTo(Jcs.canonicalize(copy));
        assertThat(new String(Jcs.canonicalizeWithout(event, java.util.Set.of("sig", "hops")), StandardCharsets.UTF_8))
                .isEqualTo("{\"envelope\":{\"hops\":1,\"sig\":\"inner\"},\"id\":\"x\"}");
        assertThat(event.has("sig")).as("the event itself is unchanged").isTrue();
    }

    @ParameterizedTest(name = "U+{0}")
    @CsvSource(delimiter = '|', value = {
        "0000|\\u0000",
        "0008|\\b",
        "0009|\\t",
        "000a|\\n",
        "000c|\\f",
        "000d|\\r",
        "001f|\\u001f",
        "0022|\\\"",
        "005c|\\\\",
        "002f|literal",
        "007f|literal",
        "2028|literal",
        "00e9|literal",
    })
    void strings_use_only_the_mandatory_escapes(String codePointHex, String escaped) {
        String text = Character.toString(Integer.parseInt(codePointHex, 16));
        String expected = escaped.equals("literal") ? text : escaped;
        assertThat(Jcs.canonicalString(NODES.textNode(text))).isEqualTo("\"" + expected + "\"");
    }

    @Test
    void lone_surrogates_are_refused() {
        assertThatThrownBy(() -> Jcs.canonicalize(NODES.textNode("a\ud83d")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> Jcs.canonicalize(NODES.textNode("\ude00b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jcs.canonicalize(NODES.objectNode().put("\ud83d", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodes_without_a_json_form_are_refused() {
        assertThatThrownBy(() -> Jcs.canonicalize(NODES.binaryNode(new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jcs.canonicalize(NODES.pojoNode(new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jcs.canonicalize(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void empty_containers_and_literals() throws Exception {
        assertThat(Jcs.canonicalString(parse("{ \"a\" : { }, \"b\" : [ ] , \"c\": \"\"}"))).isEqualTo("{\"a\":{},\"b\":[],\"c\":\"\"}");
        assertThat(Jcs.canonicalString(parse("[true,false,null]"))).isEqualTo("[true,false,null]");
    }
}
