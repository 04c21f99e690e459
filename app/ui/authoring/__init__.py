"""Writing and testing content: the workspace, the scenario map, play-testing, item statistics."""
