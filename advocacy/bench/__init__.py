"""`advocacy bench`: load the production server on loopback and compare with a bare Flask app.

The pieces, each small: `baseline` (the bare app), `routes` (what is measured and the
targets), `database` (a throw-away database, migrated and seeded), `fakegeocoder`,
`server` (the production server as a subprocess), `load` (wrk or a Python client),
`measure` (one route: throughput, latency, CPU), `dashboard` (the organizers' queries),
`report` (the table and the JSON line) and `command` (the click command tying them).
"""
