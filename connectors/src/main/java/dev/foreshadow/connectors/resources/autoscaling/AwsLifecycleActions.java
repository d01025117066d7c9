package dev.foreshadow.connectors.resources.autoscaling;

import dev.foreshadow.connectors.resources.ResourceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.CompleteLifecycleActionRequest;

/**
 * {@code CompleteLifecycleAction} of the AWS SDK. An instance with no lifecycle action waiting (it
 * is past its hook already) is no error: completing twice changes nothing.
 */
final class AwsLifecycleActions implements LifecycleActions {

    private final AutoScalingClient client;

    AwsLifecycleActions(AutoScalingClient client) {
        this.client = client;
    }

    @Override
    public void complete(String group, String hook, String instanceId, String result)
            throws ResourceException {
        try {
            client.completeLifecycleAction(
                    CompleteLifecycleActionRequest.builder()
                            .autoScalingGroupName(group)
                            .lifecycleHookName(hook)
                            .instanceId(instanceId)
                            .lifecycleActionResult(result)
                            .build());
        } catch (AutoScalingException e) {
            if (e.getMessage() != null && e.getMessage().contains("No active Lifecycle Action")) {
                return;
            }
            throw new ResourceException(
                    "cannot complete lifecycle hook "
                            + hook
                            + " of "
                            + instanceId
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (SdkException e) {
            throw new ResourceException(
                    "cannot complete lifecycle hook "
                            + hook
                            + " of "
                            + instanceId
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
