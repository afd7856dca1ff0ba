"""Static files storage for production (DEBUG off): WhiteNoise's compressed, hashed-name manifest storage."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The vendored libraries are copied unchanged from their npm packages (static/vendor/README.md) without
    their source maps, yet end in `sourceMappingURL=` comments; Django's manifest storage would rewrite those and
    fail `collectstatic` on the missing .map files. Source-map references are left as they are: a browser's
    developer tools ask for the map only when opened and get a 404."""

    patterns = tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in (p if isinstance(p, str) else p[0])))
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
    )
