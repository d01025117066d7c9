package dev.foreshadow.connectors.privacy;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Which attributes are dropped or pseudonymised before anything is stored, and what is redacted
 * from dead letters ({@code privacy.*}).
 */
public final class PrivacyOptions {

    public static final String PSEUDONYMISATION_KEY_ENV = "FORESHADOW_PSEUDONYMISATION_KEY";

    public static final ConfigOption<List<String>> PRIVACY_DROP =
            key("privacy.drop-attributes")
                    .stringType()
                    .asList()
                    .defaultValues(AttributePolicy.DEFAULT_DROP.toArray(String[]::new))
                    .withDescription(
                            "Attribute names (globs, ;-separated, compared lower-case without _ - . and spaces) dropped before anything is stored; in every other attribute, emails, phone and card numbers and IP addresses are redacted by value.");
    public static final ConfigOption<List<String>> PRIVACY_PSEUDONYMISE =
            key("privacy.pseudonymise-attributes")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Attribute names whose values are replaced by a keyed hash (HMAC-SHA256).");
    public static final ConfigOption<String> PRIVACY_KEY_FILE =
            key("privacy.pseudonymisation-key-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the pseudonymisation key (else FORESHADOW_PSEUDONYMISATION_KEY).");

    private PrivacyOptions() {}

    public static AttributePolicy policy(Configuration c) {
        return new AttributePolicy(
                c.get(PRIVACY_DROP), c.get(PRIVACY_PSEUDONYMISE), pseudonymisationKey(c));
    }

    private static byte[] pseudonymisationKey(Configuration c) {
        String file = c.get(PRIVACY_KEY_FILE);
        if (file != null) {
            try {
                return Files.readString(Path.of(file)).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read "
                                + PRIVACY_KEY_FILE.key()
                                + " "
                                + file
                                + ": "
                                + e.getMessage());
            }
        }
        String env = System.getenv(PSEUDONYMISATION_KEY_ENV);
        return env == null ? null : env.getBytes(StandardCharsets.UTF_8);
    }
}
