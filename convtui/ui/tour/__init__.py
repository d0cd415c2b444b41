"""The guided tour as the app runs it: the app's tour actions and the help screen's offer."""
