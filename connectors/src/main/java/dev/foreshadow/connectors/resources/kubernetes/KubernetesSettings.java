package dev.foreshadow.connectors.resources.kubernetes;

import dev.foreshadow.connectors.resources.ManagerSettings;
import dev.foreshadow.connectors.resources.ResourceException;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.lifecycle.InstanceShape;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.InstantSource;

/**
 * A pool that is one Kubernetes Deployment.
 *
 * @param hpa the HorizontalPodAutoscaler whose minReplicas is the pool's floor, or null
 * @param scaledObject the KEDA ScaledObject whose minReplicaCount is the pool's floor, or null
 * @param placeholderPriority the priority of placeholder pods: below 0 so that real pods preempt
 *     them, not below the Cluster Autoscaler's expendable cutoff (-10), under which it would add no
 *     node for them
 * @param placeholderImage the image of the placeholder pods (a pause container)
 */
public record KubernetesSettings(
        String namespace,
        String deployment,
        String hpa,
        String scaledObject,
        int placeholderPriority,
        String placeholderImage)
        implements ManagerSettings {

    public static final String KIND = "kubernetes";
    public static final int LOWEST_PLACEHOLDER_PRIORITY = -10;

    public KubernetesSettings {
        if (namespace == null
                || namespace.isBlank()
                || deployment == null
                || deployment.isBlank()) {
            throw new IllegalArgumentException(
                    "a Kubernetes pool needs a namespace and a deployment");
        }
        if (hpa != null && scaledObject != null) {
            throw new IllegalArgumentException(
                    "a Kubernetes pool is scaled by an HPA or by a KEDA ScaledObject, not both");
        }
        if (placeholderPriority >= 0 || placeholderPriority < LOWEST_PLACEHOLDER_PRIORITY) {
            throw new IllegalArgumentException(
                    "the placeholder priority must be from -10 to -1 (below 0 so real pods preempt"
                            + " placeholders, not below the Cluster Autoscaler's cutoff of -10 or it"
                            + " adds no node for them), got "
                            + placeholderPriority);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * A manager on the client's default configuration: the kubeconfig ({@code KUBECONFIG}) or, in a
     * pod, its service account. Credentials never pass through foreshadow's settings.
     */
    @Override
    public ResourceManager open(PoolId pool, InstanceShape shape) throws ResourceException {
        try {
            KubernetesClient client = new KubernetesClientBuilder().build();
            return new KubernetesResourceManager(client, this, shape, InstantSource.system(), true);
        } catch (KubernetesClientException e) {
            throw new ResourceException(
                    "cannot reach Kubernetes for pool " + pool + ": " + e.getMessage(), e);
        }
    }
}
