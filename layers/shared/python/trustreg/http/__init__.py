"""The edge of the layer: API Gateway events in, responses out. Errors are mapped here once."""
