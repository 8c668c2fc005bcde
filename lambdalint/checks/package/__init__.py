"""Package rules (LL3xx): what a function really ships, read from zips and directories unextracted."""
