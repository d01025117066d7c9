package dev.foreshadow.models.lifecycle;

/**
 * What a pool's manager reports of one instance.
 *
 * @param readiness whether its readiness probe passes (meaningful while WARMING)
 * @param busy whether it has work (false where the manager cannot tell)
 * @param detail why it is in its state (a failed validation's reason), or null
 */
public record InstanceObservation(
        String id, InstanceState state, boolean readiness, boolean busy, String detail) {

    public InstanceObservation {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("an observed instance needs an id");
        }
        if (state == null) {
            throw new IllegalArgumentException("instance " + id + " has no state");
        }
    }
}
