package dev.foreshadow.connectors.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The security an action needs: encryption in transit/at rest and the certifications (PCI-DSS,
 * HIPAA, ...).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Security(String encryption, List<String> certifications) {

    public static final Security NONE = new Security(null, List.of());

    public Security {
        certifications = certifications == null ? List.of() : List.copyOf(certifications);
    }
}
