package dev.foreshadow.connectors.resources;

import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.lifecycle.InstanceShape;
import java.io.Serializable;

/**
 * How to reach one pool's manager; travels with the job graph and opens the manager where the calls
 * are made. Holds no secret: credentials come from the environment or files named here.
 */
public interface ManagerSettings extends Serializable {

    /**
     * The manager's name in configuration: {@code simulated}, {@code kubernetes} or {@code
     * autoscaling}.
     */
    String kind();

    /** Opens a manager of {@code pool}, whose instances have {@code shape}. */
    ResourceManager open(PoolId pool, InstanceShape shape) throws ResourceException;
}
