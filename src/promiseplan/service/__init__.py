"""Running promiseplan as a service: notifications to customers (and, next, the cadence loop
and order intake)."""
