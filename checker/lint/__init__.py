"""``checker lint``: diagnostics from a checked report, waivers, policy and the command."""
