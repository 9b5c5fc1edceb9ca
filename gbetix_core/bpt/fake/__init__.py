"""A faithful fake of BPT's api2 for tests, benchmarks and the demo (the live service is gone)."""
