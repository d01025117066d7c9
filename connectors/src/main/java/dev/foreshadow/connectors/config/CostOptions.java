package dev.foreshadow.connectors.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.foreshadow.models.cost.PriceCatalog;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** The price catalog ({@code cost.*}) that prices actions whose events carry no cost. */
public final class CostOptions {

    public static final ConfigOption<Double> COST_VCPU_SECOND =
            key("cost.vcpu-second")
                    .doubleType()
                    .defaultValue(PriceCatalog.DEFAULT.perVcpuSecond())
                    .withDescription(
                            "Price of one vCPU-second, for actions whose event has no cost.");
    public static final ConfigOption<Double> COST_GIB_SECOND =
            key("cost.gib-second")
                    .doubleType()
                    .defaultValue(PriceCatalog.DEFAULT.perGibSecond())
                    .withDescription("Price of one GiB of memory held for one second.");
    public static final ConfigOption<Double> COST_GB_TRANSFERRED =
            key("cost.gb-transferred")
                    .doubleType()
                    .defaultValue(PriceCatalog.DEFAULT.perGbTransferred())
                    .withDescription("Price of one GB moved over the network.");
    public static final ConfigOption<String> COST_CURRENCY =
            key("cost.currency")
                    .stringType()
                    .defaultValue(PriceCatalog.DEFAULT.currency())
                    .withDescription("Currency of the price catalog.");

    private CostOptions() {}

    public static PriceCatalog prices(Configuration c) {
        return new PriceCatalog(
                c.get(COST_VCPU_SECOND),
                c.get(COST_GIB_SECOND),
                c.get(COST_GB_TRANSFERRED),
                c.get(COST_CURRENCY));
    }
}
