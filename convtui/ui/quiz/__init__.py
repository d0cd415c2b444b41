"""The Quiz panel: TOML puzzle packs and endless practice."""
