"""Code items: extract the program, compile it once, run its tests in the jail, judge."""
