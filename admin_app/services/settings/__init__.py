"""Rule settings (规则参数): the seed-derived figures an administrator edits in the panel."""
