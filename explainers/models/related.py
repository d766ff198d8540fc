"""Related stories: what the widget under each explainer shows, and why."""
