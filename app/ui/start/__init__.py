"""Before and around sign-in: the profile picker, first-time setup, recovery offers, the tour."""
