package dev.foreshadow.jobs.allocation;

/**
 * Operator uids (and names) of AllocationJob. Savepoints map state to operators by uid: never
 * change one of these for an operator whose state must survive an upgrade.
 */
public final class Uids {
    public static final String COMMANDS_SOURCE = "allocation-commands-source";
    public static final String SPLIT_DEAD_LETTERS = "allocation-split-dead-letters";
    public static final String VALIDATE_COMMANDS = "validate-commands";
    public static final String COMMAND_INPUTS = "commands-to-reconciler";
    public static final String POOL_TICKS = "pool-ticks";
    public static final String OBSERVE = "observe-pools";
    public static final String RECONCILER = "reconciler";
    public static final String PROVISION = "provision";
    public static final String STATUS_SINK = "allocation-status-sink";
    public static final String EVENTS_SINK = "allocation-events-sink";
    public static final String COMMANDS_SINK = "allocation-commands-table-sink";
    public static final String DEAD_LETTERS_SINK = "allocation-dead-letters-sink";

    private Uids() {}
}
