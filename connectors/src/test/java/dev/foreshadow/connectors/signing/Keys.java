package dev.foreshadow.connectors.signing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;

/** Named keys and key rings for the signing tests. */
public final class Keys {

    public static final byte[] OLD_SECRET = "an-old-secret-of-thirty-two-byte".getBytes(UTF_8);
    public static final byte[] NEW_SECRET = "a-new-secret-of-thirty-two-bytes".getBytes(UTF_8);
    public static final byte[] PLATFORM_SECRET = "the-platform-teams-32-byte-secrt".getBytes(UTF_8);

    /** The shop's key until November, and the one that replaces it. */
    public static final String OLD = "shop-2026-10";

    public static final String NEW = "shop-2026-11";

    /** The platform team's key, which signs for every tenant. */
    public static final String PLATFORM = "platform";

    private Keys() {}

    /** The file's lines while a rotation is under way: both shop keys, and the platform key. */
    public static List<String> rotating() {
        return List.of(
                "# key id  tenant  secret",
                KeyRing.line(OLD, "shop", OLD_SECRET),
                "",
                KeyRing.line(NEW, "shop", NEW_SECRET),
                KeyRing.line(PLATFORM, SigningKey.ANY_TENANT, PLATFORM_SECRET));
    }

    /** The file's lines once the rotation is over: the old key is gone. */
    public static List<String> rotated() {
        return List.of(
                KeyRing.line(NEW, "shop", NEW_SECRET),
                KeyRing.line(PLATFORM, SigningKey.ANY_TENANT, PLATFORM_SECRET));
    }

    public static KeyRing ring(List<String> lines) {
        return KeyRing.parse(lines, "external-events.key-file");
    }
}
