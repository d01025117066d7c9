package dev.foreshadow.connectors.resources.autoscaling;

import dev.foreshadow.connectors.resources.ResourceException;

/**
 * Completes an Auto Scaling launch lifecycle hook: {@code CONTINUE} puts a validated instance in
 * service, {@code ABANDON} terminates one that failed its validation. Behind an interface because
 * the emulator the tests run against answers this call with HTTP 500.
 */
public interface LifecycleActions {

    String CONTINUE = "CONTINUE";
    String ABANDON = "ABANDON";

    /** Completes {@code hook} of {@code instanceId} in {@code group} with {@code result}. */
    void complete(String group, String hook, String instanceId, String result)
            throws ResourceException;
}
