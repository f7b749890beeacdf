"""The trust rating: one module per metric, a parallel runner, the ingest gate."""
