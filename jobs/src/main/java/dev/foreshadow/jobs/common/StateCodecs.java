package dev.foreshadow.jobs.common;

import dev.foreshadow.models.anomaly.IncidentTracker;
import dev.foreshadow.models.anomaly.StreamDetector;
import dev.foreshadow.models.anomaly.TokenBucket;
import dev.foreshadow.models.stats.Reservoir;

/** The byte formats of the models' classes kept in keyed state (each versioned by its class). */
public final class StateCodecs {

    private StateCodecs() {}

    public static final class ReservoirCodec implements BytesSerializer.Codec<Reservoir> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] toBytes(Reservoir value) {
            return value.toBytes();
        }

        @Override
        public Reservoir fromBytes(byte[] bytes) {
            return Reservoir.fromBytes(bytes);
        }
    }

    public static final class IncidentTrackerCodec
            implements BytesSerializer.Codec<IncidentTracker> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] toBytes(IncidentTracker value) {
            return value.toBytes();
        }

        @Override
        public IncidentTracker fromBytes(byte[] bytes) {
            return IncidentTracker.fromBytes(bytes);
        }
    }

    public static final class TokenBucketCodec implements BytesSerializer.Codec<TokenBucket> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] toBytes(TokenBucket value) {
            return value.toBytes();
        }

        @Override
        public TokenBucket fromBytes(byte[] bytes) {
            return TokenBucket.fromBytes(bytes);
        }
    }

    public static final class StreamDetectorCodec implements BytesSerializer.Codec<StreamDetector> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] toBytes(StreamDetector value) {
            return value.toBytes();
        }

        @Override
        public StreamDetector fromBytes(byte[] bytes) {
            return StreamDetector.fromBytes(bytes);
        }
    }

    public static BytesSerializer<StreamDetector> streamDetectors() {
        return new BytesSerializer<>(new StreamDetectorCodec());
    }

    public static BytesSerializer<Reservoir> reservoirs() {
        return new BytesSerializer<>(new ReservoirCodec());
    }

    public static BytesSerializer<IncidentTracker> incidentTrackers() {
        return new BytesSerializer<>(new IncidentTrackerCodec());
    }

    public static BytesSerializer<TokenBucket> tokenBuckets() {
        return new BytesSerializer<>(new TokenBucketCodec());
    }
}
