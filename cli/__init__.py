"""The `capexgraph` and `exposure` commands: they parse arguments, call the layers and print."""
