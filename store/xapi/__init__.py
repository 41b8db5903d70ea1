"""xAPI (issue #25): practice and certification records as statements for the company's learning
record store, queued on the station and sent when the LRS answers. docs/xapi.md is the profile.

* profile.py — every IRI of the profile, statement ids (UUID5 of kind and record id), agents (pure)
* validate.py — the xAPI 1.0.3 statement rules, validate_base.py its formats and value checks (pure)
* statements.py — a record's statement, from plain rows (pure); records.py — the SQL that reads them
* export.py — `rolecall export xapi`; queue.py — the station-local queue (never synced)
* config.py — the LRS settings (station table) and secret.py — the secret (OS keyring, or a 0600 file)
* client.py — HTTP to the LRS; push.py — sending the queue in batches, holding what the LRS rejects
"""
