package dev.foreshadow.models.domain;

import java.io.Serializable;

/** One run of a workflow: run ids need only be unique within a tenant. */
public record RunKey(String tenant, String runId) implements Serializable {

    public RunKey {
        Ids.require("tenant", tenant);
        Ids.require("run id", runId);
        if (tenant.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a tenant may not contain '/': " + tenant);
        }
    }

    /** The one string encoding (the Flink key): {@code tenant/runId}. */
    public String encoded() {
        return tenant + "/" + runId;
    }

    /** The key {@link #encoded()} made. */
    public static RunKey decode(String encoded) {
        int at = Ids.split("run key", encoded, '/');
        return new RunKey(encoded.substring(0, at), encoded.substring(at + 1));
    }

    @Override
    public String toString() {
        return encoded();
    }
}
