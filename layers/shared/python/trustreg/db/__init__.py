"""Data access: engine, models, repositories, migrations. The only code that touches sessions."""
