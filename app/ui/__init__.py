"""Qt widgets: turn what people do into calls on app.modules and show what comes back."""
