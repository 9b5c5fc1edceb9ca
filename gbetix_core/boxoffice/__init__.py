"""The box office: catalog, availability, sales, orders, the door, transfers and reports."""
