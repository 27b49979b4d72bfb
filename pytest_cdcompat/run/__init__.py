"""Running comparisons for the front ends: options shared by the CLI and the plugin, contract discovery and version
histories, compatibility modes, waivers, and the runner that turns discovered pairs into reports.
"""
