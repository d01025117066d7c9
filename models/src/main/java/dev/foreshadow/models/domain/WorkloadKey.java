package dev.foreshadow.models.domain;

import java.io.Serializable;

/**
 * What history and detectors are kept per: a tenant's workflow type, or one action type of it.
 *
 * @param actionType null for the key of a whole workflow type
 */
public record WorkloadKey(String tenant, String workflowType, String actionType)
        implements Serializable {

    public WorkloadKey {
        Ids.require("tenant", tenant);
        Ids.require("workflow type", workflowType);
        if (actionType != null && actionType.isEmpty()) {
            throw new IllegalArgumentException("action type is empty");
        }
    }

    /** The key of a whole workflow type. */
    public static WorkloadKey ofType(String tenant, String workflowType) {
        return new WorkloadKey(tenant, workflowType, null);
    }

    /** The key of one action type of a workflow type. */
    public static WorkloadKey ofAction(String tenant, String workflowType, String actionType) {
        return new WorkloadKey(tenant, workflowType, Ids.require("action type", actionType));
    }

    /**
     * The workflow type a person names as {@link #toString()} shows it, {@code tenant/type} (the
     * tenant is what comes before the first {@code /}), as configuration lists types.
     */
    public static WorkloadKey ofTypeName(String name) {
        int slash = name == null ? -1 : name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1) {
            throw new IllegalArgumentException(
                    "'" + name + "' is not a workflow type as tenant/type");
        }
        return ofType(name.substring(0, slash), name.substring(slash + 1));
    }

    /** This key without its action type. */
    public WorkloadKey workflowTypeKey() {
        return actionType == null ? this : ofType(tenant, workflowType);
    }

    /**
     * The one string encoding (the Flink key): {@code tenant NUL workflowType [NUL actionType]}.
     */
    public String encoded() {
        String type = tenant + Ids.SEPARATOR + workflowType;
        return actionType == null ? type : type + Ids.SEPARATOR + actionType;
    }

    /** The key {@link #encoded()} made. */
    public static WorkloadKey decode(String encoded) {
        int first = Ids.split("workload key", encoded, Ids.SEPARATOR);
        int second = encoded.indexOf(Ids.SEPARATOR, first + 1);
        return second < 0
                ? ofType(encoded.substring(0, first), encoded.substring(first + 1))
                : ofAction(
                        encoded.substring(0, first),
                        encoded.substring(first + 1, second),
                        encoded.substring(second + 1));
    }

    @Override
    public String toString() {
        return tenant + "/" + workflowType + (actionType == null ? "" : "/" + actionType);
    }
}
