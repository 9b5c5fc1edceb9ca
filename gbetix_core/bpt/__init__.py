"""Brown Paper Tickets: the api2 client, XML feed parsing, idempotent import, sync runs and the fake server."""
