package dev.foreshadow.connectors.resources.autoscaling;

import dev.foreshadow.connectors.resources.ManagerSettings;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.lifecycle.InstanceShape;
import java.net.URI;
import java.time.InstantSource;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A pool that is one EC2 Auto Scaling group.
 *
 * @param endpoint the Auto Scaling and EC2 endpoint, or null for AWS's (set for an emulator)
 * @param lifecycleHook the launch lifecycle hook that holds new instances until they are validated,
 *     or null
 * @param warmPoolState what the warm pool keeps its pre-initialised instances as: {@code Stopped},
 *     {@code Running} or {@code Hibernated}
 */
public record AutoScalingSettings(
        String group, String region, String endpoint, String lifecycleHook, String warmPoolState)
        implements ManagerSettings {

    public static final String KIND = "autoscaling";

    public AutoScalingSettings {
        if (group == null || group.isBlank() || region == null || region.isBlank()) {
            throw new IllegalArgumentException("an Auto Scaling pool needs a group and a region");
        }
        if (endpoint != null && !endpoint.startsWith("http")) {
            throw new IllegalArgumentException(
                    "the Auto Scaling endpoint must be a URL, got " + endpoint);
        }
        if (!java.util.Set.of("Stopped", "Running", "Hibernated").contains(warmPoolState)) {
            throw new IllegalArgumentException(
                    "the warm pool state must be Stopped, Running or Hibernated, got "
                            + warmPoolState);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * A manager with the SDK's default credentials (environment, profile, instance role): they
     * never pass through foreshadow's settings.
     */
    @Override
    public ResourceManager open(PoolId pool, InstanceShape shape) {
        AutoScalingClient asg = configure(AutoScalingClient.builder()).build();
        Ec2Client ec2 = configure(Ec2Client.builder()).build();
        return new AutoScalingResourceManager(
                asg, ec2, new AwsLifecycleActions(asg), this, InstantSource.system(), true);
    }

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>>
            B configure(B b) {
        b.region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b;
    }
}
